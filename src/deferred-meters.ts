// A meter provider that works from the first instant while the metrics SDK (~12 ms of start-up)
// loads later: meters and instruments made before then are stand-ins that take the SDK's own once
// it is attached, measurements made meanwhile are kept (bounded) and replayed into it, and
// observable callbacks are handed over. The metrics API has no such proxy of its own
// (open-telemetry/opentelemetry-js#3622). Loaded by sdk.ts when metrics are exported.
import {
  type BatchObservableCallback,
  type Context,
  context as contextApi,
  createNoopMeter,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricAttributes,
  type MetricOptions,
  type Observable,
  type ObservableCallback,
} from '@opentelemetry/api';

type SyncKind = 'createCounter' | 'createUpDownCounter' | 'createHistogram' | 'createGauge';
type ObservableKind = 'createObservableCounter' | 'createObservableUpDownCounter' | 'createObservableGauge';

/** Measurements kept before the SDK is attached; past this the owner is asked to attach it now. */
export const MAX_BUFFERED = 8192;

/** Handed out once metrics are off for good: nothing is kept or built. */
const NOOP_METER = createNoopMeter();

/** What the stand-ins need of their provider. */
interface Owner {
  /** Metrics are off for good: stand-ins made from now on are no-ops. */
  readonly disabled: boolean;
  /** Keeps one measurement for the SDK; false when it was not kept (the SDK is there now). */
  buffer(replay: () => void): boolean;
}

type Record = (value: number, attributes?: MetricAttributes, context?: Context) => void;

/** A synchronous instrument: records into the SDK's instrument once there is one, buffers before. */
class DeferredInstrument {
  private target: { add?: Record; record?: Record } | undefined;

  constructor(
    private readonly owner: Owner,
    readonly kind: SyncKind,
    readonly name: string,
    readonly options: MetricOptions | undefined,
  ) {}

  attach(meter: Meter): void {
    this.target = meter[this.kind](this.name, this.options);
  }

  add(value: number, attributes?: MetricAttributes, context?: Context): void {
    this.record(value, attributes, context);
  }

  record(value: number, attributes?: MetricAttributes, context?: Context): void {
    if (this.target === undefined) {
      // The SDK keys the series when it records: keep the attributes as they are now (a caller may
      // reuse one object) and the context the measurement was made in.
      const kept = attributes === undefined ? undefined : { ...attributes };
      const madeIn = context ?? contextApi.active();
      if (this.owner.buffer(() => this.record(value, kept, madeIn))) return;
    }
    const target = this.target;
    if (target?.add) target.add(value, attributes, context);
    else target?.record?.(value, attributes, context);
  }
}

/** An observable instrument: its callbacks move to the SDK's instrument when that is made. */
class DeferredObservable implements Observable {
  target: Observable | undefined;
  private readonly callbacks = new Set<ObservableCallback>();

  constructor(
    readonly kind: ObservableKind,
    readonly name: string,
    readonly options: MetricOptions | undefined,
  ) {}

  attach(meter: Meter): void {
    this.target = meter[this.kind](this.name, this.options);
    for (const callback of this.callbacks) this.target.addCallback(callback);
  }

  addCallback(callback: ObservableCallback): void {
    this.callbacks.add(callback);
    this.target?.addCallback(callback);
  }

  removeCallback(callback: ObservableCallback): void {
    this.callbacks.delete(callback);
    this.target?.removeCallback(callback);
  }
}

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

class DeferredMeter implements Meter {
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

/** What a meter provider of the SDK has beyond the API's. */
interface Flushable {
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}

/**
 * The global meter provider until the SDK's is attached, and a pass-through after. `loadNow` is
 * called when measurements wait and cannot wait longer (the buffer is full, or a flush), to attach
 * the SDK synchronously.
 */
export class DeferredMeterProvider implements MeterProvider, Owner {
  private target: (MeterProvider & Flushable) | undefined;
  private readonly meters = new Map<string, DeferredMeter>();
  private pending: (() => void)[] = [];
  private off = false;

  constructor(private readonly loadNow: () => void) {}

  /** Measurements waiting for the SDK. */
  get buffered(): number {
    return this.pending.length;
  }

  get attached(): boolean {
    return this.target !== undefined;
  }

  get disabled(): boolean {
    return this.off;
  }

  getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    if (this.target) return this.target.getMeter(name, version, options);
    if (this.off) return NOOP_METER;
    const key = `${name}\0${version ?? ''}\0${options?.schemaUrl ?? ''}`;
    let meter = this.meters.get(key);
    if (meter === undefined) {
      meter = new DeferredMeter(this, [name, version, options]);
      this.meters.set(key, meter);
    }
    return meter;
  }

  buffer(replay: () => void): boolean {
    if (this.target) return false;
    if (this.off) return true;
    if (this.pending.length >= MAX_BUFFERED) {
      this.loadNow();
      if (this.target) return false;
      // Not attached (the SDK is failing to load): this measurement goes nowhere, the buffer stays bounded.
      return true;
    }
    this.pending.push(replay);
    return true;
  }

  /** Hands every stand-in its SDK counterpart and replays the buffered measurements; once. */
  attach(provider: MeterProvider): void {
    if (this.target || this.off) return;
    this.target = provider;
    const meters = [...this.meters.values()];
    this.meters.clear();
    for (const meter of meters) meter.attachInstruments(provider);
    for (const meter of meters) meter.attachBatches();
    const pending = this.pending;
    this.pending = [];
    for (const replay of pending) replay();
  }

  /** Metrics are off for good: forgets the buffer; later measurements and meters are no-ops. */
  disable(): void {
    this.off = true;
    this.pending = [];
  }

  /** As the SDK provider's: what waits for the SDK brings it in first. */
  async forceFlush(): Promise<void> {
    if (this.pending.length > 0) this.loadNow();
    await this.target?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.target?.shutdown?.();
    this.disable();
  }
}
