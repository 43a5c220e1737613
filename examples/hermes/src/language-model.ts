// A deterministic local stand-in for the LLM behind Hermes (a hosted model in production): it fills
// a template instead of generating, so the same prompt always gets the same completion. A prompt with
// a `Goal:` line gets a numbered plan built from its `Related:` concepts. Loaded by operations.ts.
import { stableHash } from '../../shared/stable-hash.js';
import { refuseIfMarked } from './fail-marker.js';
import { tokenise } from './text-pipeline.js';

/** The name the stand-in reports as `llm.model`. */
export const LLM_MODEL = 'logos-template-llm-v1';

const STOP_WORDS = new Set('a an and at for from in into of on or the to up'.split(' '));

/** The completion of `prompt`. Throws when the prompt carries the fail marker. */
export function complete(prompt: string): string {
  refuseIfMarked(prompt);
  const goal = field(prompt, 'Goal');
  if (goal === undefined) return `Noted: ${firstLine(prompt)}. A planning request needs a "Goal:" line.`;
  const related = (field(prompt, 'Related') ?? '')
    .split(';')
    .map((concept) => concept.trim())
    .filter((concept) => concept !== '');
  // Only concepts sharing a word with the goal make steps: what a real model would judge relevant.
  // One to three of them, chosen by the goal's hash so that plans differ but never change.
  const relevant = related.filter((concept) => sharesWord(concept, goal));
  const middle = relevant.slice(0, 1 + (stableHash(goal) % 3));
  const steps = [
    `Survey the scene and list what "${goal}" needs`,
    ...middle.map(capitalise),
    ...(middle.length === 0 ? [`Work through "${goal}" one object at a time`] : []),
    `Check that "${goal}" is done and report back`,
  ];
  return steps.map((step, index) => `${index + 1}. ${step}`).join('\n');
}

function sharesWord(concept: string, goal: string): boolean {
  const goalWords = new Set(tokenise(goal).filter((word) => !STOP_WORDS.has(word)));
  return tokenise(concept).some((word) => goalWords.has(word));
}

function field(prompt: string, name: string): string | undefined {
  const line = prompt.split('\n').find((candidate) => candidate.startsWith(`${name}:`));
  const value = line?.slice(name.length + 1).trim();
  return value === '' ? undefined : value;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
