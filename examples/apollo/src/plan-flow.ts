// Apollo's "plan" command, shared by the CLI and the HTTP API: normalise the goal with Hermes, ask
// Sophia for a plan, all in one `apollo.command` span. Loaded by cli.ts and api.ts.
import { currentTraceId, getLogger, type ServiceLogger, withSpan } from '@logos/otel';
import { postJson, UpstreamError } from '../../shared/post-json.js';

/** Where the command finds the other services. */
export interface PlanFlowDeps {
  readonly hermesUrl: URL;
  readonly sophiaUrl: URL;
  readonly log?: ServiceLogger;
}

/** Sophia's plan, as POST /plan answers it (the parts Apollo shows). */
export interface SophiaPlan {
  readonly id: string;
  readonly goal: string;
  readonly steps: string[];
  readonly concepts: string[];
  readonly confidence: number;
}

/** How a plan command ended; `traceId` finds its trace either way. */
export type PlanOutcome =
  | { readonly ok: true; readonly traceId?: string; readonly goal: string; readonly plan: SophiaPlan }
  | { readonly ok: false; readonly traceId?: string; readonly status: number; readonly error: string };

interface NlpAnswer {
  readonly normalised: string;
}

/**
 * Runs the plan command for `goal`. Never rejects: a failure comes back as `{ ok: false }` with a
 * status for an HTTP answer (502 when another service failed), after the span has recorded it.
 */
export async function runPlanCommand(goal: string, deps: PlanFlowDeps): Promise<PlanOutcome> {
  const log = deps.log ?? getLogger('apollo');
  let traceId: string | undefined;
  try {
    return await withSpan(
      'apollo.command',
      { 'command.type': 'plan', 'command.success': false },
      async (span) => {
        traceId = currentTraceId();
        const { normalised } = await withSpan(
          'apollo.api.hermes',
          { 'peer.service': 'hermes', 'apollo.api.route': '/nlp' },
          () => postJson<NlpAnswer>('hermes', deps.hermesUrl, '/nlp', { text: goal }),
        );
        const plan = await withSpan(
          'apollo.api.sophia',
          { 'peer.service': 'sophia', 'apollo.api.route': '/plan' },
          async (call) => {
            const answer = await postJson<SophiaPlan>('sophia', deps.sophiaUrl, '/plan', {
              goal: normalised,
            });
            call.setAttributes({ 'plan.id': answer.id, 'plan.step_count': answer.steps.length });
            return answer;
          },
        );
        span.setAttribute('command.success', true);
        log.info('plan ready', { plan_id: plan.id, steps: plan.steps.length, confidence: plan.confidence });
        return { ok: true, traceId, goal: normalised, plan } as const;
      },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error('plan command failed', { trace_id: traceId, error: message });
    return { ok: false, traceId, status: error instanceof UpstreamError ? 502 : 500, error: message };
  }
}
