// Apollo's HTTP API (Koa + @koa/router) for the web client: GET /api/plan?goal=... runs the same
// plan command as the CLI. Run with `--import @logos/otel/register`; no telemetry setup of its own.
import Router from '@koa/router';
import { getLogger } from '@logos/otel';
import Koa from 'koa';
import { readPort, readServiceUrl } from '../../shared/env.js';
import { printReadyLine } from '../../shared/ready-line.js';
import { runPlanCommand } from './plan-flow.js';

const log = getLogger('apollo');

function main(): void {
  const port = readPort();
  const deps = { hermesUrl: readServiceUrl('HERMES_URL'), sophiaUrl: readServiceUrl('SOPHIA_URL'), log };
  const app = new Koa();
  const router = new Router();

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/api/plan', async (ctx) => {
    const goal = typeof ctx.query.goal === 'string' ? ctx.query.goal.trim() : '';
    if (goal === '') {
      ctx.status = 400;
      ctx.body = { error: 'query needs a non-empty "goal"' };
      return;
    }
    const outcome = await runPlanCommand(goal, deps);
    if (outcome.ok) {
      ctx.body = { goal: outcome.goal, plan: outcome.plan, trace_id: outcome.traceId };
    } else {
      ctx.status = outcome.status;
      ctx.body = { error: outcome.error, trace_id: outcome.traceId };
    }
  });

  app.use(router.routes()).use(router.allowedMethods());
  const server = app.listen(port, '127.0.0.1', () => printReadyLine('apollo', server.address()));
  server.on('error', (error) => {
    console.error('apollo failed to start:', error.message);
    process.exitCode = 1;
  });
}

try {
  main();
} catch (error) {
  console.error('apollo failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
