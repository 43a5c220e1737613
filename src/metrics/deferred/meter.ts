// A stand-in for one metrics API Meter until the metrics SDK is attached: it makes the stand-in
// instruments (metrics/deferred/instruments.ts) and keeps batch observable callbacks, then hands all
// of them to the SDK's meter. Made by metrics/deferred/provider.ts.
import {
  type BatchObservableCallback,
  createNoopMeter,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricOptions,
  type Observable,
} from '@opentelemetry/api';
import {
  DeferredInstrument,
  DeferredObservable,
  type ObservableKind,
  type Owner,
  type SyncKind,
} from './instruments.js';

/** Handed out once metrics are off for good: nothing is kept or built. */
export const NOOP_METER = createNoopMeter();

type BatchEntry = { callback: BatchObservableCallback; observables: Observable[] };

/** The SDK's own instrument for a stand-in (or the observable itself if it is not one of ours). */
function real(observable: Observable): Observable | undefined {
  return observable instanceof DeferredObservable ? observable.target : observable;
}

function reals(observables: Observable[]): Observable[] {
  return observables.map(real).filter((o) => o !== undefined);
}

function sameObservables(a: readonly Observable[], b: readonly Observable[]): boolean {
  return a.length === b.length && a.every((o, i) => o === b[i]);
}

/** The callback as the SDK must see it: the stand-ins it observes are swapped for the SDK's own. */
function translated(callback: BatchObservableCallback): BatchObservableCallback {
  return (result) =>
    callback({
      observe: (observable, value, attributes) =>
        result.observe(real(observable) ?? observable, value, attributes),
    });
}

export class DeferredMeter implements Meter {
  private target: Meter | undefined;
  private readonly instruments: (DeferredInstrument | DeferredObservable)[] = [];
  private readonly batches: BatchEntry[] = [];
  /** The SDK-side callback given for each batch callback, to remove it by. */
  private readonly translations = new Map<BatchObservableCallback, BatchObservableCallback>();

  constructor(
    private readonly owner: Owner,
    private readonly scope: readonly [string, string | undefined, MeterOptions | undefined],
  ) {}

  /** First step of attaching: every instrument gets the SDK's counterpart. */
  attachInstruments(provider: MeterProvider): void {
    const meter = provider.getMeter(...this.scope);
    this.target = meter;
    for (const instrument of this.instruments) instrument.attach(meter);
  }

  /** Second step, once every meter's instruments are attached (a callback may observe another meter's). */
  attachBatches(): void {
    for (const { callback, observables } of this.batches)
      this.addBatchObservableCallback(callback, observables);
    this.batches.length = 0;
  }

  private sync<T>(kind: SyncKind, name: string, options?: MetricOptions): T {
    if (this.target) return this.target[kind](name, options) as T;
    if (this.owner.disabled) return NOOP_METER[kind](name, options) as T;
    const instrument = new DeferredInstrument(this.owner, kind, name, options);
    this.instruments.push(instrument);
    return instrument as T;
  }

  private observable(kind: ObservableKind, name: string, options?: MetricOptions): Observable {
    if (this.target) return this.target[kind](name, options);
    if (this.owner.disabled) return NOOP_METER[kind](name, options);
    const instrument = new DeferredObservable(kind, name, options);
    this.instruments.push(instrument);
    return instrument;
  }

  createCounter = (name: string, options?: MetricOptions) =>
    this.sync<ReturnType<Meter['createCounter']>>('createCounter', name, options);
  createUpDownCounter = (name: string, options?: MetricOptions) =>
    this.sync<ReturnType<Meter['createUpDownCounter']>>('createUpDownCounter', name, options);
  createHistogram = (name: string, options?: MetricOptions) =>
    this.sync<ReturnType<Meter['createHistogram']>>('createHistogram', name, options);
  createGauge = (name: string, options?: MetricOptions) =>
    this.sync<ReturnType<Meter['createGauge']>>('createGauge', name, options);
  createObservableCounter = (name: string, options?: MetricOptions) =>
    this.observable('createObservableCounter', name, options);
  createObservableUpDownCounter = (name: string, options?: MetricOptions) =>
    this.observable('createObservableUpDownCounter', name, options);
  createObservableGauge = (name: string, options?: MetricOptions) =>
    this.observable('createObservableGauge', name, options);

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    if (this.target) {
      let sdkCallback = this.translations.get(callback);
      if (sdkCallback === undefined) {
        sdkCallback = translated(callback);
        this.translations.set(callback, sdkCallback);
      }
      this.target.addBatchObservableCallback(sdkCallback, reals(observables));
      return;
    }
    if (!this.owner.disabled) this.batches.push({ callback, observables });
  }

  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    if (this.target) {
      const sdkCallback = this.translations.get(callback) ?? callback;
      this.target.removeBatchObservableCallback(sdkCallback, reals(observables));
      return;
    }
    const index = this.batches.findIndex(
      (b) => b.callback === callback && sameObservables(b.observables, observables),
    );
    if (index !== -1) this.batches.splice(index, 1);
  }
}
