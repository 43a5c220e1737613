// A stable 32-bit string hash (FNV-1a) for the deterministic stand-ins: the same input gives the same
// embedding, completion or simulation on every run and machine. Loaded by Hermes and Sophia.

/** The unsigned 32-bit FNV-1a hash of `text`'s UTF-16 code units. */
export function stableHash(text: string): number {
  let hash = 0x811c_9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x0100_0193);
  }
  return hash >>> 0;
}
