// A deterministic local stand-in for Hermes' embedding model (a sentence transformer in production):
// feature hashing of words and character trigrams into 64 dimensions, L2-normalised. Texts sharing
// words or word pieces get similar vectors, which is all the examples need. Loaded by operations.ts.
import { stableHash } from '../../shared/stable-hash.js';
import { refuseIfMarked } from './fail-marker.js';
import { tokenise } from './text-pipeline.js';

/** The name the stand-in reports as `embedding.model`. */
export const EMBEDDING_MODEL = 'logos-hash-embed-v1';
/** The vector length. */
export const EMBEDDING_DIMENSION = 64;

/**
 * The embedding of `text`: EMBEDDING_DIMENSION numbers of unit length (all zeros for a text without
 * words). Throws when the text carries the fail marker.
 */
export function embedText(text: string): number[] {
  refuseIfMarked(text);
  const vector = new Array<number>(EMBEDDING_DIMENSION).fill(0);
  for (const token of tokenise(text)) {
    addFeature(vector, `w:${token}`, 1);
    const padded = `^${token}$`;
    for (let i = 0; i + 3 <= padded.length; i += 1) addFeature(vector, `t:${padded.slice(i, i + 3)}`, 0.5);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

// The hash picks both the slot and the sign, so unrelated features cancel out rather than pile up.
function addFeature(vector: number[], feature: string, weight: number): void {
  const hash = stableHash(feature);
  const slot = hash % EMBEDDING_DIMENSION;
  vector[slot] = (vector[slot] ?? 0) + (hash & 0x8000_0000 ? -weight : weight);
}
