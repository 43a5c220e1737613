// The stand-ins for the metrics API's instruments that metrics/deferred/meter.ts hands out before the
// metrics SDK is attached: a synchronous one keeps its measurements for the SDK (through its
// provider), an observable one keeps its callbacks; each takes the SDK's own instrument once attached.
import {
  type Context,
  context as contextApi,
  type Meter,
  type MetricAttributes,
  type MetricOptions,
  type Observable,
  type ObservableCallback,
} from '@opentelemetry/api';

export type SyncKind = 'createCounter' | 'createUpDownCounter' | 'createHistogram' | 'createGauge';
export type ObservableKind =
  | 'createObservableCounter'
  | 'createObservableUpDownCounter'
  | 'createObservableGauge';

/** What the stand-ins need of their provider. */
export interface Owner {
  /** Metrics are off for good: stand-ins made from now on are no-ops. */
  readonly disabled: boolean;
  /** Keeps one measurement for the SDK; false when it was not kept (the SDK is there now). */
  buffer(replay: () => void): boolean;
}

type RecordFn = (value: number, attributes?: MetricAttributes, context?: Context) => void;

/** A synchronous instrument: records into the SDK's instrument once there is one, buffers before. */
export class DeferredInstrument {
  private target: { add?: RecordFn; record?: RecordFn } | undefined;

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
export class DeferredObservable implements Observable {
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
