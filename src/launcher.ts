// Recognises the processes that only launch the app in a child process (tsx's CLI), so the
// register entries start no agent there. Used by register-plan.ts.
import { realpathSync } from 'node:fs';

/** The entry scripts (process.argv[1], real path) of launchers, by launcher. */
const LAUNCHERS: readonly (readonly [string, RegExp])[] = [['tsx', /[\\/]tsx[\\/]dist[\\/]cli\.m?js$/]];

/**
 * The launcher this process is, if any, by its entry script (`entry`, process.argv[1], often a
 * symlink such as node_modules/.bin/tsx).
 */
export function launcherOf(entry: string | undefined = process.argv[1]): string | undefined {
  if (entry === undefined) return undefined;
  let path = entry;
  try {
    path = realpathSync(entry);
  } catch {
    // Not a file we can resolve: judge by the name given.
  }
  return LAUNCHERS.find(([, pattern]) => pattern.test(path))?.[0];
}

/**
 * NODE_OPTIONS with `<flag> <entry>` appended, unless it already loads `entry` or `name`; the entry
 * is quoted as NODE_OPTIONS needs when it has spaces, quotes or backslashes.
 */
export function withFlag(
  nodeOptions: string | undefined,
  flag: '--import' | '--require',
  entry: string,
  name: string,
): string {
  const current = nodeOptions ?? '';
  if (current.includes(entry) || current.includes(name)) return current;
  const value = /[\s"\\]/.test(entry) ? `"${entry.replace(/["\\]/g, '\\$&')}"` : entry;
  return `${current} ${flag} ${value}`.trim();
}
