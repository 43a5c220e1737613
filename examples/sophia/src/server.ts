// Sophia, the Logos planner (Express): POST /plan makes a plan for a goal with Hermes' help, GET
// /plans/:id reads one back. Run with `--import @logos/otel/register`; no telemetry setup of its own.
import { getLogger, setSpanAttributes } from '@logos/otel';
import express, { type NextFunction, type Request, type Response } from 'express';
import { readPort, readServiceUrl } from '../../shared/env.js';
import { UpstreamError } from '../../shared/post-json.js';
import { printReadyLine } from '../../shared/ready-line.js';
import { CausalGraph } from './causal-graph.js';
import { HermesClient } from './hermes-client.js';
import { Planner } from './planner.js';
import { StateStore } from './state-store.js';

const log = getLogger('sophia');

/** An error answer with a client-side cause (bad input, unknown id). */
class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function main(): void {
  const port = readPort();
  const planner = new Planner({
    state: new StateStore(),
    graph: new CausalGraph(),
    hermes: new HermesClient(readServiceUrl('HERMES_URL')),
  });
  const app = express();
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });

  app.post('/plan', async (req: Request, res: Response) => {
    const goal: unknown = req.body?.goal;
    if (typeof goal !== 'string' || goal.trim() === '') {
      throw new RequestError(400, 'body needs a non-empty "goal" string');
    }
    res.status(201).json(await planner.createPlan(goal.trim()));
  });

  app.get('/plans/:id', async (req: Request<{ id: string }>, res: Response) => {
    setSpanAttributes({ 'plan.id': req.params.id });
    const plan = await planner.getPlan(req.params.id);
    if (plan === undefined) throw new RequestError(404, `no plan with id ${req.params.id}`);
    res.json(plan);
  });

  // Every error answers {error}. Hermes failing is a bad gateway, named in the message for Apollo.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    log.error('request failed', { route: req.route?.path, status, error: message });
    res.status(status).json({ error: message });
  });

  const server = app.listen(port, '127.0.0.1', (error?: Error) => {
    if (error) {
      console.error('sophia failed to start:', error.message);
      process.exitCode = 1;
      return;
    }
    printReadyLine('sophia', server.address());
  });
}

function statusOf(error: unknown): number {
  if (error instanceof UpstreamError) return 502;
  if (error instanceof RequestError) return error.status;
  // express.json() marks a malformed body with a 4xx `status`.
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

try {
  main();
} catch (error) {
  console.error('sophia failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
