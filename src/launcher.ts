// Recognises launchers that only spawn the app in a child process without passing on their node
// flags (tsx's CLI), so register.ts starts no agent there and hands its flag on instead.
import { realpathSync } from 'node:fs';

const LAUNCHERS = [/[\\/]tsx[\\/]dist[\\/]cli\.m?js$/];

/** Whether `entry` (process.argv[1], often a node_modules/.bin symlink) is a known launcher. */
export function isLauncher(entry: string | undefined = process.argv[1]): boolean {
  if (entry === undefined) return false;
  let path = entry;
  try {
    path = realpathSync(entry);
  } catch {
    // Not a file we can resolve: judge by the name given.
  }
  return LAUNCHERS.some((pattern) => pattern.test(path));
}

/** NODE_OPTIONS with `--import <entry>` appended, unless it already imports `entry` or `name`. */
export function withImport(nodeOptions: string | undefined, entry: string, name: string): string {
  const current = nodeOptions ?? '';
  if (current.includes(entry) || current.includes(name)) return current;
  return `${current} --import ${entry}`.trim();
}
