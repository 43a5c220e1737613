// A meter provider that works from the first instant while the metrics SDK (~12 ms of start-up)
// loads later: meters and instruments made before then are stand-ins (metrics/deferred/meter.ts,
// instruments.ts) that take the SDK's own once it is attached, measurements made meanwhile are kept
// (bounded) and replayed into it, and observable callbacks are handed over. The metrics API has no
// such proxy of its own (open-telemetry/opentelemetry-js#3622). Made by metrics/pipeline.ts.
import type { Meter, MeterOptions, MeterProvider } from '@opentelemetry/api';
import type { Owner } from './instruments.js';
import { DeferredMeter, NOOP_METER } from './meter.js';

/** Measurements kept before the SDK is attached; past this the owner is asked to attach it now. */
export const MAX_BUFFERED = 8192;

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
  private replays: (() => void)[] = [];
  private off = false;

  constructor(private readonly loadNow: () => void) {}

  /** Measurements not yet delivered: waiting for the SDK. */
  get undelivered(): number {
    return this.replays.length;
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
    if (this.replays.length >= MAX_BUFFERED) {
      this.loadNow();
      if (this.target) return false;
      // Not attached (the SDK is failing to load): this measurement goes nowhere, the buffer stays bounded.
      return true;
    }
    this.replays.push(replay);
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
    const replays = this.replays;
    this.replays = [];
    for (const replay of replays) replay();
  }

  /** Metrics are off for good: forgets the buffer; later measurements and meters are no-ops. */
  disable(): void {
    this.off = true;
    this.replays = [];
  }

  /** As the SDK provider's: what waits for the SDK brings it in first. */
  async forceFlush(): Promise<void> {
    if (this.replays.length > 0) this.loadNow();
    await this.target?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.target?.shutdown?.();
    this.disable();
  }
}
