// The first line of what went wrong, for a warning or a worker's reply: an error's message (or its
// code when the message is empty), never a stack, never a throw. Used by the export guard, the export
// worker and its senders.

export function errorLine(error: unknown): string {
  let text: string;
  try {
    text =
      error instanceof Error
        ? error.message || String((error as NodeJS.ErrnoException).code ?? error)
        : String(error);
  } catch {
    // A value whose toString throws.
    return 'unknown error';
  }
  return text.split('\n')[0] ?? '';
}
