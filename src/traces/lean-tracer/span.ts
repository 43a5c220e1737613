// The lean tracer's span: records what the API calls give it, applies the span limits, and once
// ended is frozen and readable as the SDK's ReadableSpan, so processors, exporters and the test kit
// take it unchanged. Made by traces/lean-tracer/tracer.ts.
import {
  type Attributes,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type SpanAttributes,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import { type InstrumentationScope, isTimeInput, millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';
import { type AttributeLimits, cleanAttributes, cleanLink, Put, putAttribute } from './attributes.js';
import { exceptionAttributes } from './exception.js';
import { durationOf, givenTime, monoNow, monoSince, plusDuration, wallTimeOf } from './time.js';

/** The SDK's span limits with every default filled in (TracerProvider's defaults). */
export interface Limits {
  readonly attributes: AttributeLimits;
  readonly event: AttributeLimits;
  readonly link: AttributeLimits;
  readonly eventCount: number;
  readonly linkCount: number;
}

/** What a tracer knows when it starts a span; attributes and links are already cleaned. */
export interface SpanStart {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly processor: SpanProcessor;
  readonly limits: Limits;
  readonly context: Context;
  readonly spanContext: SpanContext;
  readonly parentSpanContext: SpanContext | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  /** How many keys `attributes` holds. */
  readonly attributeCount: number;
  readonly links: Link[];
  readonly startTime: TimeInput | undefined;
}

const NOT_ENDED: HrTime = [0, 0];
const NO_DURATION: HrTime = [-1, -1];
const EXCEPTION_EVENT = 'exception';

/** A recording span; `ended` (and the API's isRecording()) tell the two phases apart. */
export class LeanSpan implements Span {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly attributes: Attributes;
  links: Link[];
  readonly events: TimedEvent[] = [];
  readonly startTime: HrTime;
  endTime: HrTime = NOT_ENDED;
  duration: HrTime = NO_DURATION;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  droppedAttributesCount: number;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  #attributeCount: number;
  readonly #context: SpanContext;
  /** process.hrtime() at the start, to time the span; undefined when the caller gave the start. */
  readonly #monoStart: HrTime | undefined;
  readonly #limits: Limits;
  readonly #processor: SpanProcessor;

  constructor(start: SpanStart) {
    const given = start.startTime === undefined ? undefined : givenTime(start.startTime);
    if (given === undefined) {
      this.#monoStart = monoNow();
      this.startTime = wallTimeOf(this.#monoStart);
    } else {
      this.#monoStart = undefined;
      this.startTime = given;
    }
    this.#context = start.spanContext;
    this.#limits = start.limits;
    this.#processor = start.processor;
    this.name = start.name;
    this.kind = start.kind;
    this.parentSpanContext = start.parentSpanContext;
    this.resource = start.resource;
    this.instrumentationScope = start.scope;
    // The newest links are kept, as the SDK keeps them.
    const excess = start.links.length - start.limits.linkCount;
    this.links = excess > 0 ? start.links.slice(excess) : start.links;
    this.droppedLinksCount = Math.max(excess, 0);
    this.attributes = start.attributes;
    this.#attributeCount = start.attributeCount;
    this.droppedAttributesCount = start.droppedAttributesCount;
    this.#processor.onStart(this, start.context);
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  setAttribute(key: string, value: unknown): this {
    if (this.ended) return this;
    const put = putAttribute(
      this.attributes,
      this.#attributeCount,
      key,
      value,
      this.#limits.attributes,
      false,
    );
    if (put === Put.Added) this.#attributeCount++;
    else if (put === Put.OverLimit) this.droppedAttributesCount++;
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const key in attributes) if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const { eventCount } = this.#limits;
    if (eventCount === 0) {
      this.droppedEventsCount++;
      return this;
    }
    if (this.events.length >= eventCount) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    let attributes: SpanAttributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
    } else attributes = attributesOrTime;
    const event: TimedEvent = { name, time: this.timeOf(time) };
    if (typeof attributes === 'object' && attributes !== null) {
      const clean = cleanAttributes(attributes, this.#limits.event, true);
      event.attributes = clean.attributes;
      event.droppedAttributesCount = clean.droppedAttributesCount;
    }
    this.events.push(event);
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    const { linkCount } = this.#limits;
    if (linkCount === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links.length >= linkCount) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    this.links.push(cleanLink(link, this.#limits.link));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK)
      return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR && typeof status.message === 'string')
      next.message = status.message;
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    let end: HrTime;
    let duration: HrTime;
    const given = endTime === undefined ? undefined : givenTime(endTime);
    if (given === undefined && this.#monoStart !== undefined) {
      // The usual case: the start plus exactly how long the span lasted.
      duration = monoSince(this.#monoStart, monoNow());
      end = plusDuration(this.startTime, duration);
    } else {
      end = given ?? millisToHrTime(Date.now());
      duration = durationOf(this.startTime, end);
    }
    if (duration[0] < 0) {
      end = this.startTime.slice() as HrTime;
      duration = [0, 0];
    }
    this.endTime = end;
    this.duration = duration;
    // onEnding may still change the span (redaction); it is frozen only after.
    this.#processor.onEnding?.(this);
    this.ended = true;
    this.#processor.onEnd(this);
  }

  /** A time given by the caller, or now as end() would take it. */
  private timeOf(input: TimeInput | undefined): HrTime {
    const given = input === undefined ? undefined : givenTime(input);
    if (given !== undefined) return given;
    if (this.#monoStart === undefined) return millisToHrTime(Date.now());
    const since = monoSince(this.#monoStart, monoNow());
    return plusDuration(this.startTime, since);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** The SDK's exception event, for any thrown value (see toException), never throwing or warning. */
  recordException(exception: Exception, time?: TimeInput): void {
    const attributes = exceptionAttributes(exception);
    if (attributes !== undefined) this.addEvent(EXCEPTION_EVENT, attributes, time);
  }
}
