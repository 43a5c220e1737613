// Sophia's client for Hermes: the embedding (with nearest concepts) and the LLM completion, over
// HTTP with fetch. Loaded by server.ts; a failed call throws UpstreamError, which the routes map to 502.
import { postJson } from '../../shared/post-json.js';

/** A concept Hermes found near a text. */
export interface Neighbour {
  readonly id: string;
  readonly label: string;
  readonly score: number;
}

/** Hermes' POST /embed answer (the parts Sophia reads). */
export interface EmbedAnswer {
  readonly model: string;
  readonly embedding: number[];
  readonly neighbours: Neighbour[];
}

/** Hermes' POST /llm answer (the parts Sophia reads). */
export interface CompletionAnswer {
  readonly model: string;
  readonly completion: string;
}

/** Calls the Hermes service at `base`. */
export class HermesClient {
  constructor(private readonly base: URL) {}

  embed(text: string): Promise<EmbedAnswer> {
    return postJson<EmbedAnswer>('hermes', this.base, '/embed', { text });
  }

  complete(prompt: string): Promise<CompletionAnswer> {
    return postJson<CompletionAnswer>('hermes', this.base, '/llm', { prompt });
  }
}
