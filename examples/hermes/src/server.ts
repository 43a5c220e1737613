// Hermes, the Logos language service (Fastify): embeddings with a concept search, LLM completions
// and NLP. Run with `--import @logos/otel/register`; it has no telemetry setup of its own.
import { getLogger } from '@logos/otel';
import Fastify, { type FastifyError } from 'fastify';
import { readPort } from '../../shared/env.js';
import { printReadyLine } from '../../shared/ready-line.js';
import { analyseText, completePrompt, embedAndSearch } from './operations.js';
import { createConceptCollection } from './vector-store.js';

const log = getLogger('hermes');

/** A JSON body with one required, non-empty string field. */
function bodyWith(field: string) {
  return {
    body: {
      type: 'object',
      required: [field],
      properties: { [field]: { type: 'string', minLength: 1, maxLength: 100_000 } },
    },
  } as const;
}

async function main(): Promise<void> {
  const port = readPort();
  const concepts = createConceptCollection();
  const app = Fastify({ logger: false });

  app.get('/health', async () => ({ status: 'ok' }));
  app.post<{ Body: { text: string } }>('/embed', { schema: bodyWith('text') }, async (request) =>
    embedAndSearch(request.body.text, concepts),
  );
  app.post<{ Body: { prompt: string } }>('/llm', { schema: bodyWith('prompt') }, async (request) =>
    completePrompt(request.body.prompt),
  );
  app.post<{ Body: { text: string } }>('/nlp', { schema: bodyWith('text') }, async (request) =>
    analyseText(request.body.text),
  );

  // Every error answers {error}: that is the shape Sophia and Apollo read and pass on.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    log.error('request failed', { route: request.routeOptions.url, status, error: error.message });
    return reply.status(status).send({ error: error.message });
  });

  await app.listen({ host: '127.0.0.1', port });
  printReadyLine('hermes', app.server.address());
  log.info('listening', { concepts: concepts.size });
}

main().catch((error: unknown) => {
  console.error('hermes failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
