// Apollo's command line: `apollo plan "<goal>"` asks Sophia for a plan and prints it. Run with
// `--import @logos/otel/register`; it sets exitCode instead of exiting, so the agent flushes on exit.
import { getLogger } from '@logos/otel';
import { readServiceUrl } from '../../shared/env.js';
import { type PlanOutcome, runPlanCommand } from './plan-flow.js';

const USAGE = 'usage: apollo plan "<goal>"   (needs HERMES_URL and SOPHIA_URL)';

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  const goal = rest.join(' ').trim();
  if (command !== 'plan' || goal === '') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let deps: { hermesUrl: URL; sophiaUrl: URL };
  try {
    deps = { hermesUrl: readServiceUrl('HERMES_URL'), sophiaUrl: readServiceUrl('SOPHIA_URL') };
  } catch (error) {
    process.stderr.write(`apollo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  // Log lines go to stderr, and only warnings: stdout is for the person reading the plan.
  const log = getLogger('apollo', { level: 'warn', write: (line) => process.stderr.write(`${line}\n`) });
  const outcome = await runPlanCommand(goal, { ...deps, log });
  if (!outcome.ok) {
    process.stderr.write(`apollo: plan failed: ${outcome.error}\n${traceLine(outcome)}\n`);
    return 1;
  }
  process.stdout.write(`${render(outcome)}\n`);
  return 0;
}

function render(outcome: Extract<PlanOutcome, { ok: true }>): string {
  const { plan } = outcome;
  return [
    `Plan ${plan.id} for "${outcome.goal}"`,
    ...plan.steps.map((step, index) => `  ${index + 1}. ${step}`),
    `Confidence: ${Math.round(plan.confidence * 100)}%`,
    `Related concepts: ${plan.concepts.join(', ') || 'none'}`,
    traceLine(outcome),
  ].join('\n');
}

function traceLine(outcome: PlanOutcome): string {
  return `Trace: ${outcome.traceId ?? '(none: telemetry is off)'}`;
}

process.exitCode = await main(process.argv.slice(2));
