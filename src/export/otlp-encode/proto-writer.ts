// A minimal protobuf wire-format writer over a reusable slab, for the OTLP span encoder.
// Loaded by encode-span.ts, scope.ts, resource.ts and any-value.ts; pure, no I/O.

/** Protobuf wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

/** A field key, for fields numbered below 16 (one byte). */
export const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** Bytes the varint encoding of a uint32 takes. */
export const varintSize = (v: number): number =>
  v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;

const TWO_32 = 0x1_0000_0000;

// Hex digit values by char code (0-9, a-f, A-F); ids are written straight from the SDK's hex strings
// with no intermediate Uint8Array per id.
const HEX = new Uint8Array(128);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[97 + i] = 10 + i;
  HEX[65 + i] = 10 + i;
}

/** Strings shorter than this are tried as ASCII in JS first; the length prefix is one byte. */
export const SHORT = 32;

/**
 * Copies an ASCII string into `buf` at `p` (room already ensured) and returns the position after it,
 * or -1 at the first non-ASCII char (the caller then writes it as UTF-8 over the partial copy).
 */
export function putAscii(buf: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    buf[p++] = c;
  }
  return p;
}

/**
 * Writes the `n` bytes of the first 2n hex digits of `hex` into `buf` at `p` (room already ensured);
 * returns the position after.
 */
export function putHex(buf: Uint8Array, p: number, hex: string, n: number): number {
  for (let i = 0; i < 2 * n; i += 2) {
    buf[p++] = (HEX[hex.charCodeAt(i) & 0x7f] as number) * 16 + (HEX[hex.charCodeAt(i + 1) & 0x7f] as number);
  }
  return p;
}

/**
 * Writes one message at a time into a slab and hands out each message as a subarray of it, so a
 * message costs no allocation of its own. A full slab is left to the messages that point into it
 * (a FIFO queue frees slabs in order, so what stays alive is the queued bytes plus one slab) and a
 * fresh one is taken. Positions saved by {@link beginLength} are relative to the message start, so
 * they survive the message moving to a new slab mid-write.
 */
export class ProtoWriter {
  buf: Buffer;
  /** Next byte to write. */
  pos = 0;
  /** Where the message being written starts. */
  private start = 0;

  constructor(private readonly slabSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(slabSize);
  }

  /** Makes room for `n` more bytes, moving the current message to a fresh slab if needed. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(this.slabSize, (used + n) * 2));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = used;
  }

  /** The message written since the last finish(), as a view of the slab. */
  finish(): Uint8Array {
    // A plain view over the slab's ArrayBuffer: half the cost of Buffer#subarray, and a copy per
    // message (an off-heap allocation each) costs twenty times as much.
    const out = new Uint8Array(this.buf.buffer, this.start, this.pos - this.start);
    this.start = this.pos;
    // An oversized slab (grown for one huge message) is left to that message alone, so the small
    // messages after it do not keep it alive.
    if (this.buf.length > this.slabSize) {
      this.buf = Buffer.allocUnsafeSlow(this.slabSize);
      this.start = this.pos = 0;
    }
    return out;
  }

  /** Drops a half-written message (after a throw), so the next one starts clean. */
  reset(): void {
    this.pos = this.start;
  }

  /** Appends raw bytes. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A uint32 varint (also tags, lengths, counts and enums). */
  varint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** An int64 varint from an integral number in [-2^63, 2^63): two's complement, no BigInt. */
  varint64(v: number): void {
    if (v >= 0 && v < TWO_32) {
      this.varint32(v);
      return;
    }
    let lo: number;
    let hi: number;
    if (v >= 0) {
      lo = v >>> 0;
      hi = (v / TWO_32) >>> 0;
    } else {
      const abs = -v;
      lo = ~(abs >>> 0) >>> 0;
      hi = ~((abs / TWO_32) >>> 0) >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    while (hi > 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  /** A fixed32, little-endian. */
  fixed32(v: number): void {
    this.ensure(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v;
    buf[p + 1] = v >>> 8;
    buf[p + 2] = v >>> 16;
    buf[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  /**
   * A fixed64 field of HrTime [seconds, nanos] as nanoseconds. seconds * 1e9 overflows 2^53, so
   * seconds are split at bit 16: both partial products stay exact in a double, and the halves are
   * summed by hand.
   */
  timeField(fieldTag: number, seconds: number, nanos: number): void {
    const upper = (seconds / 0x10000) >>> 0;
    const fromUpper = upper * 1e9; // < 2^46; contributes fromUpper * 2^16
    const low = (seconds & 0xffff) * 1e9 + nanos; // < 2^47
    const lowSum = (fromUpper % 0x10000) * 0x10000 + (low % TWO_32);
    const lo = lowSum >>> 0;
    const hi = Math.floor(fromUpper / 0x10000) + Math.floor(low / TWO_32) + Math.floor(lowSum / TWO_32);
    this.ensure(9);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = fieldTag;
    buf[p + 1] = lo;
    buf[p + 2] = lo >>> 8;
    buf[p + 3] = lo >>> 16;
    buf[p + 4] = lo >>> 24;
    buf[p + 5] = hi;
    buf[p + 6] = hi >>> 8;
    buf[p + 7] = hi >>> 16;
    buf[p + 8] = hi >>> 24;
    this.pos = p + 9;
  }

  /** A uint32 varint field (counts, enums) whose tag is one byte. */
  uintField(fieldTag: number, v: number): void {
    this.ensure(6);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = fieldTag;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** A double, little-endian. */
  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** A length-prefixed byte string. */
  bytes(bytes: Uint8Array): void {
    this.varint32(bytes.length);
    this.raw(bytes);
  }

  /** A bytes field holding an id given as hex (trace and span ids: short, valid lowercase hex). */
  hexField(fieldTag: number, hex: string): void {
    // An odd trailing digit is dropped, as upstream's hexToBinary drops it.
    const n = hex.length >>> 1;
    this.ensure(n + 6);
    this.buf[this.pos++] = fieldTag;
    this.varint32(n);
    this.pos = putHex(this.buf, this.pos, hex, n);
  }

  /** A field key or other value below 128, as its single byte. */
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /**
   * A length-prefixed UTF-8 string. Short ASCII strings (most keys and values) are copied by a JS
   * loop, which beats a native call below ~32 chars; longer or non-ASCII ones are written natively
   * behind a prefix sized for their UTF-16 length, moved along in the rare case the UTF-8 length
   * needs a longer prefix.
   */
  string(s: string): void {
    const n = s.length;
    if (n < SHORT) {
      this.ensure(n + 1);
      const p = putAscii(this.buf, this.pos + 1, s);
      if (p >= 0) {
        this.buf[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    this.ensure(n * 3 + 5);
    const buf = this.buf;
    const at = this.pos;
    const prefix = varintSize(n);
    const written = buf.write(s, at + prefix);
    const needed = varintSize(written);
    if (needed !== prefix) buf.copy(buf, at + needed, at + prefix, at + prefix + written);
    this.varint32(written);
    this.pos = at + needed + written;
  }

  /** Reserves a one-byte length prefix; returns the mark that {@link endLength} takes. */
  beginLength(): number {
    this.ensure(1);
    const mark = this.pos - this.start;
    this.pos++;
    return mark;
  }

  /** Writes the length of what follows `mark`, moving it along when the length needs more bytes. */
  endLength(mark: number): void {
    const at = this.start + mark;
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    // ensure() may have moved the message; `at` is recomputed from the mark.
    const from = this.start + mark;
    this.buf.copy(this.buf, from + 1 + extra, from + 1, this.pos);
    this.pos += extra;
    const end = this.pos;
    this.pos = from;
    this.varint32(length);
    this.pos = end;
  }
}
