// A FIFO that drops its oldest entries to stay under a unit budget and a byte budget.
// Loaded by store.ts, one queue per signal.

/** Entries in arrival order; pushing past either budget evicts from the front. */
export class BoundedQueue<T> {
  readonly #maxUnits: number;
  readonly #maxBytes: number;
  // Evicted slots before #head are cleared to undefined so their items can be collected.
  #entries: ({ item: T; units: number; bytes: number } | undefined)[] = [];
  #head = 0;
  #units = 0;
  #bytes = 0;
  #snapshot: readonly T[] | undefined;
  /** Units evicted or refused since creation (or the last clear). */
  dropped = 0;

  constructor(maxUnits: number, maxBytes: number) {
    this.#maxUnits = maxUnits;
    this.#maxBytes = maxBytes;
  }

  /** Appends `item`, which counts `units` against the unit budget and `bytes` against the byte budget. */
  push(item: T, units: number, bytes: number): void {
    this.#entries.push({ item, units, bytes });
    this.#units += units;
    this.#bytes += bytes;
    while (this.#units > this.#maxUnits || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries[this.#head];
      if (oldest === undefined) break;
      this.#entries[this.#head] = undefined;
      this.#head += 1;
      this.#units -= oldest.units;
      this.#bytes -= oldest.bytes;
      this.dropped += oldest.units;
    }
    // Compact now and then instead of shift()ing per eviction, which is O(n) each time.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    this.#snapshot = undefined;
  }

  /** A frozen copy of the current items, cached until the next change. */
  get items(): readonly T[] {
    this.#snapshot ??= Object.freeze(this.#entries.slice(this.#head).flatMap((e) => (e ? [e.item] : [])));
    return this.#snapshot;
  }

  /** Empties the queue and resets `dropped`. */
  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#units = 0;
    this.#bytes = 0;
    this.dropped = 0;
    this.#snapshot = undefined;
  }
}
