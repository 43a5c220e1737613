// Sophia's planning pipeline in one `sophia.plan` span: world state, concepts from Hermes, causal
// context from the HCG, steps drafted by Hermes' LLM, a simulation, then the plan stored. Loaded
// by server.ts with its clients.
import { randomUUID } from 'node:crypto';
import { getLogger, withSpan } from '@logos/otel';
import type { CausalGraph, Subgraph } from './causal-graph.js';
import type { HermesClient } from './hermes-client.js';
import { simulate } from './simulator.js';
import type { StateStore } from './state-store.js';

const log = getLogger('sophia');
const WORLD_KEY = 'cwm:world';

/** A stored plan, as GET /plans/:id and POST /plan answer it. */
export interface Plan {
  readonly id: string;
  readonly goal: string;
  readonly steps: string[];
  readonly concepts: string[];
  readonly confidence: number;
  readonly weakestStep: number;
  readonly createdAt: string;
}

/** What the world model remembers between plans. */
interface WorldState {
  readonly planCount: number;
  readonly lastPlanId?: string;
}

/** The clients the planner works through. */
export interface PlannerDeps {
  readonly state: StateStore;
  readonly graph: CausalGraph;
  readonly hermes: HermesClient;
}

/** Plans goals and looks stored plans up. */
export class Planner {
  constructor(private readonly deps: PlannerDeps) {}

  /** A new plan for `goal`, stored under its id. A Hermes failure rejects, and marks the span. */
  createPlan(goal: string): Promise<Plan> {
    const { state, graph, hermes } = this.deps;
    const id = randomUUID();
    return withSpan('sophia.plan', { 'plan.goal': goal, 'plan.id': id }, async (span) => {
      const world = (await state.read<WorldState>(WORLD_KEY)) ?? { planCount: 0 };
      const { neighbours } = await hermes.embed(goal);
      const concepts = neighbours.map((neighbour) => neighbour.label);
      const context = await graph.neighbourhood(concepts);
      const draft = await hermes.complete(draftPrompt(goal, concepts, context));
      const steps = parseSteps(draft.completion);
      if (steps.length === 0) throw new Error(`hermes drafted no steps for: ${goal}`);
      span.setAttribute('plan.step_count', steps.length);

      const knownActions = new Set(
        context.nodes.filter((node) => node.kind === 'action').map((node) => node.label),
      );
      const simulation = await simulate(steps, knownActions);
      const plan: Plan = {
        id,
        goal,
        steps,
        concepts,
        confidence: simulation.confidence,
        weakestStep: simulation.weakestStep,
        createdAt: new Date().toISOString(),
      };
      await graph.addPlan(id, goal, steps);
      await state.write(planKey(id), plan);
      await state.write(WORLD_KEY, { planCount: world.planCount + 1, lastPlanId: id } satisfies WorldState);
      log.info('planned', { plan_id: id, steps: steps.length, confidence: plan.confidence });
      return plan;
    });
  }

  /** The stored plan with this id, or undefined. */
  getPlan(id: string): Promise<Plan | undefined> {
    return this.deps.state.read<Plan>(planKey(id));
  }
}

function planKey(id: string): string {
  return `plan:${id}`;
}

/** The LLM prompt: instructions, known effects, related concepts and the goal, one per line. */
function draftPrompt(goal: string, concepts: readonly string[], context: Subgraph): string {
  const effects = context.nodes.filter((node) => node.kind === 'state').map((node) => node.label);
  return [
    'You are the planner of a household and lab robot. Draft a short plan of concrete steps.',
    `Known effects: ${effects.join('; ') || 'none'}`,
    `Related: ${concepts.join('; ')}`,
    `Goal: ${goal}`,
  ].join('\n');
}

/** The numbered lines of a completion (`1. ...` or `1) ...`), without their numbers. */
function parseSteps(completion: string): string[] {
  return completion
    .split('\n')
    .map((line) => /^\s*\d+[.)]\s+(.+?)\s*$/.exec(line)?.[1])
    .filter((step): step is string => step !== undefined);
}
