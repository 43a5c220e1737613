// A deterministic local stand-in for Sophia's plan simulator (a learned world model in production):
// it rolls the plan forward k steps, giving each step a fixed success chance derived from its text,
// and reports the chance that all succeed. Loaded by planner.ts.
import { withSpan } from '@logos/otel';
import { stableHash } from '../../shared/stable-hash.js';

/** What a simulation run reports. */
export interface SimulationResult {
  readonly kSteps: number;
  /** The chance that every step succeeds, 0..1, two decimals. */
  readonly confidence: number;
  /** The 1-based number of the step least likely to succeed. */
  readonly weakestStep: number;
}

/** Simulates `steps` (span `sophia.simulate`); steps backed by a known causal effect are surer. */
export async function simulate(
  steps: readonly string[],
  knownActions: ReadonlySet<string>,
): Promise<SimulationResult> {
  return withSpan('sophia.simulate', { 'simulation.k_steps': steps.length }, async (span) => {
    let confidence = 1;
    let weakestStep = 1;
    let weakest = 1;
    steps.forEach((step, index) => {
      // 0.85..0.98 from the text; a step the causal graph knows the effect of gets 0.99.
      const chance = knownActions.has(step.toLowerCase()) ? 0.99 : 0.85 + (stableHash(step) % 14) / 100;
      confidence *= chance;
      if (chance < weakest) {
        weakest = chance;
        weakestStep = index + 1;
      }
    });
    const result = { kSteps: steps.length, confidence: Math.round(confidence * 100) / 100, weakestStep };
    span.setAttributes({
      'simulation.confidence': result.confidence,
      'simulation.weakest_step': weakestStep,
    });
    return result;
  });
}
