// Span timestamps for the lean tracer. As in the SDK, a span's start is wall-clock time and its end
// is the start plus the monotonic time it lasted, so durations are exact. Unlike the SDK, which
// reads Date.now() and performance.now() (twice) per span, the wall clock is read once a second and
// carried forward on process.hrtime(), the cheapest monotonic clock in Node (one read per start and
// per end). Loaded by traces/lean-tracer/span.ts.
import type { HrTime, TimeInput } from '@opentelemetry/api';
import { hrTime, isTimeInputHrTime, millisToHrTime } from '@opentelemetry/core';

/** How long a wall-clock reading is carried forward before it is read again (clock steps, NTP). */
const REANCHOR_NS = 1e9;

let anchorMono: HrTime = [0, 0];
let anchorWall: HrTime = [0, 0];
let anchored = false;

/** Now on the monotonic clock (process.hrtime's arbitrary origin). */
export function monoNow(): HrTime {
  return process.hrtime();
}

/** Wall-clock time of the monotonic instant `mono` (now or a moment ago). */
export function wallTimeOf(mono: HrTime): HrTime {
  let elapsed = (mono[0] - anchorMono[0]) * 1e9 + (mono[1] - anchorMono[1]);
  if (!anchored || elapsed < 0 || elapsed > REANCHOR_NS) {
    anchorWall = millisToHrTime(Date.now());
    anchorMono = mono;
    anchored = true;
    elapsed = 0;
  }
  return plusNanos(anchorWall, elapsed);
}

/** `mono` minus `since`, both monotonic readings. */
export function monoSince(since: HrTime, mono: HrTime): HrTime {
  let seconds = mono[0] - since[0];
  let nanos = mono[1] - since[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/**
 * HrTime of a time the caller gave: a performance timestamp (ms since performance.timeOrigin, the
 * SDK's reading of a number up to performance.now()), epoch ms, a Date or an HrTime already.
 * Undefined for anything else, where the span uses now.
 */
export function givenTime(input: TimeInput): HrTime | undefined {
  if (typeof input === 'number') {
    if (input > performance.now()) return millisToHrTime(input);
    // The SDK corrects the performance timeline by how far the wall clock has moved from it.
    const offset = Date.now() - (performance.now() + performance.timeOrigin);
    return hrTime(input + offset);
  }
  if (input instanceof Date) return millisToHrTime(input.getTime());
  if (isTimeInputHrTime(input)) return input;
  return undefined;
}

/** `time` plus `nanos` (0 <= nanos < 1e9). */
function plusNanos(time: HrTime, nanos: number): HrTime {
  const total = time[1] + nanos;
  return total >= 1e9 ? [time[0] + 1, total - 1e9] : [time[0], total];
}

/** `time` plus the duration `d` (both normalised HrTimes). */
export function plusDuration(time: HrTime, d: HrTime): HrTime {
  const nanos = time[1] + d[1];
  return nanos >= 1e9 ? [time[0] + d[0] + 1, nanos - 1e9] : [time[0] + d[0], nanos];
}

/** end - start, as the SDK's hrTimeDuration computes it. */
export function durationOf(start: HrTime, end: HrTime): HrTime {
  return monoSince(start, end);
}
