// Hermes' operations, each in its `hermes.*` span: embed, vector search, NLP and LLM completion.
// Loaded by server.ts; the routes call these and the stand-in models do the work.
import { getLogger, withSpan } from '@logos/otel';
import { EMBEDDING_DIMENSION, EMBEDDING_MODEL, embedText } from './embedding-model.js';
import { complete, LLM_MODEL } from './language-model.js';
import { type Entity, findEntities, normalise, tokenise } from './text-pipeline.js';
import type { SearchHit, VectorCollection } from './vector-store.js';

const log = getLogger('hermes');

/** What POST /embed answers. */
export interface EmbedResult {
  readonly model: string;
  readonly dimension: number;
  readonly embedding: number[];
  readonly neighbours: SearchHit[];
}

/** What POST /llm answers; `usage` counts tokens as the NLP pipeline splits them. */
export interface CompletionResult {
  readonly model: string;
  readonly completion: string;
  readonly usage: { readonly prompt_tokens: number; readonly completion_tokens: number };
}

/** What POST /nlp answers. */
export interface AnalysisResult {
  readonly normalised: string;
  readonly tokens: string[];
  readonly entities: Entity[];
}

/** Embeds `text` (span `hermes.embed`), then finds its nearest concepts (span `hermes.milvus`). */
export function embedAndSearch(text: string, collection: VectorCollection, topK = 5): EmbedResult {
  const embedding = withSpan(
    'hermes.embed',
    { 'embedding.model': EMBEDDING_MODEL, 'embedding.dimension': EMBEDDING_DIMENSION, 'embedding.count': 1 },
    () => embedText(text),
  );
  const neighbours = withSpan(
    'hermes.milvus',
    {
      'db.system.name': 'milvus',
      'db.operation': 'search',
      'milvus.collection': collection.name,
      'milvus.top_k': topK,
    },
    (span) => {
      const hits = collection.search(embedding, topK, 0.05);
      span.setAttribute('milvus.result_count', hits.length);
      return hits;
    },
  );
  log.info('embedded', { chars: text.length, neighbours: neighbours.map((hit) => hit.id) });
  return { model: EMBEDDING_MODEL, dimension: EMBEDDING_DIMENSION, embedding, neighbours };
}

/** Counts the prompt's tokens (span `hermes.nlp`), then completes it (span `hermes.llm`). */
export function completePrompt(prompt: string): CompletionResult {
  const promptTokens = withSpan('hermes.nlp', { 'nlp.operation': 'tokenise' }, (span) => {
    const count = tokenise(prompt).length;
    span.setAttribute('nlp.token_count', count);
    return count;
  });
  return withSpan(
    'hermes.llm',
    {
      'llm.provider': 'local-stand-in',
      'llm.model': LLM_MODEL,
      // The whole prompt: the agent cuts values longer than OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT.
      'llm.prompt': prompt,
      'llm.usage.prompt_tokens': promptTokens,
    },
    (span) => {
      const completion = complete(prompt);
      const completionTokens = tokenise(completion).length;
      span.setAttribute('llm.usage.completion_tokens', completionTokens);
      log.info('completed', { prompt_tokens: promptTokens, completion_tokens: completionTokens });
      return {
        model: LLM_MODEL,
        completion,
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens },
      };
    },
  );
}

/** Normalises `text` and finds its entities (span `hermes.nlp`). */
export function analyseText(text: string): AnalysisResult {
  return withSpan('hermes.nlp', { 'nlp.operation': 'analyse' }, (span) => {
    const normalised = normalise(text);
    const tokens = tokenise(normalised);
    const entities = findEntities(text);
    span.setAttributes({ 'nlp.token_count': tokens.length, 'nlp.entity_count': entities.length });
    return { normalised, tokens, entities };
  });
}
