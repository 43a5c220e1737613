// A deterministic local stand-in for the Milvus collection Hermes searches: an in-memory list of
// unit vectors with brute-force cosine top-k. Preloaded with the seed concepts. Loaded by operations.ts.
import { SEED_CONCEPTS } from './concept-seed.js';
import { embedText } from './embedding-model.js';

/** One search hit: the stored entry and its cosine similarity to the query (-1..1). */
export interface SearchHit {
  readonly id: string;
  readonly label: string;
  readonly score: number;
}

interface Entry {
  readonly id: string;
  readonly label: string;
  readonly vector: readonly number[];
}

/** An in-memory vector collection: `insert` and cosine `search`, as the Milvus client offers. */
export class VectorCollection {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly name: string) {}

  get size(): number {
    return this.#entries.size;
  }

  insert(id: string, label: string, vector: readonly number[]): void {
    this.#entries.set(id, { id, label, vector });
  }

  /** The `limit` entries most similar to `query`, best first; entries below `minScore` are left out. */
  search(query: readonly number[], limit: number, minScore = 0): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const entry of this.#entries.values()) {
      const score = cosine(query, entry.vector);
      if (score >= minScore) hits.push({ id: entry.id, label: entry.label, score: round(score) });
    }
    return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }
}

/** The `concepts` collection, filled with the embedded seed concepts. */
export function createConceptCollection(): VectorCollection {
  const collection = new VectorCollection('concepts');
  for (const concept of SEED_CONCEPTS) collection.insert(concept.id, concept.label, embedText(concept.label));
  return collection;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
