// The marker that makes Hermes' stand-in models fail on purpose, so the examples can show an error
// travelling through the trace (Hermes -> Sophia -> Apollo). Loaded by the two model stand-ins.

/** A text or prompt containing this is refused. */
export const FAIL_MARKER = '[fail-hermes]';

/**
 * Throws when `text` contains {@link FAIL_MARKER}. Both models refuse with the same message so that
 * callers far up the chain can recognise the failure by one string.
 */
export function refuseIfMarked(text: string): void {
  if (text.includes(FAIL_MARKER)) throw new Error('stand-in LLM refused the prompt');
}
