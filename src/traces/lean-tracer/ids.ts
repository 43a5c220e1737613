// Random trace and span ids for the lean tracer: slices of one hex string made from a crypto pool,
// refilled every few hundred spans. Loaded by traces/lean-tracer/tracer.ts.
import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the OS per refill: 8 KiB serves about 340 root spans (16 + 8 bytes each). */
const POOL_BYTES = 8192;
const ZERO_TRACE = '00000000000000000000000000000000';
const ZERO_SPAN = '0000000000000000';

// One hex string sliced per id costs ~10 ns; the SDK's Math.random words written to a Buffer and
// hex-encoded per id cost 75-100 ns (bench/span-record.ts measures both).
let pool = '';
let offset = 0;

function take(chars: number): string {
  if (offset + chars > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString('hex');
    offset = 0;
  }
  const id = pool.slice(offset, offset + chars);
  offset += chars;
  return id;
}

/** 16 random bytes as 32 lowercase hex digits, never all zero (an invalid id). */
export function newTraceId(): string {
  let id = take(32);
  while (id === ZERO_TRACE) id = take(32);
  return id;
}

/** 8 random bytes as 16 lowercase hex digits, never all zero. */
export function newSpanId(): string {
  let id = take(16);
  while (id === ZERO_SPAN) id = take(16);
  return id;
}
