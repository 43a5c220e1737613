// Recognises the processes that only launch the app in a child process: tsx's CLI, the package
// managers (npm, npx, pnpm, yarn, corepack) and `node --test`'s runner. Used by boot/register-plan.ts.
import { realpathSync } from 'node:fs';

/** The entry scripts (process.argv[1], real path) of launchers, by launcher. */
const LAUNCHERS: readonly (readonly [string, RegExp])[] = [
  ['tsx', /[\\/]tsx[\\/]dist[\\/]cli\.m?js$/],
  // npm's own bin files, wherever npm lives (Node's bundle, a global or local install, corepack's
  // cache); npm's shell wrapper runs npm-prefix.js first to find the global npm.
  ['npm', /[\\/]bin[\\/](?:npm-cli|npx-cli|npm-prefix)\.js$/],
  // pnpm's bin/pnpm.cjs and bin/pnpx.cjs, the same in corepack's cache (<home>/v1/pnpm/<version>).
  ['pnpm', /[\\/]bin[\\/]pnp[mx]\.[cm]?js$/],
  // Yarn 1's bin/yarn.js (also @yarnpkg/cli-dist's), Yarn 2+ as a project's yarnPath release, and
  // Yarn 2+ as corepack caches it: one file in <home>/v1/yarn/<version>/.
  ['yarn', /[\\/]bin[\\/]yarn(?:pkg)?\.c?js$/],
  ['yarn', /[\\/]\.yarn[\\/]releases[\\/][^\\/]+\.c?js$/],
  ['yarn', /[\\/]yarn[\\/]\d[^\\/]*[\\/]yarn\.js$/],
  // corepack itself and its shims (`corepack enable` links pnpm, yarn... to these), which run the
  // package manager in the same process: it is never the app.
  ['corepack', /[\\/]corepack[\\/]dist[\\/](?:corepack|npm|npx|pnpm|pnpx|yarn|yarnpkg)\.js$/],
];

/**
 * The launcher this process is, if any: tsx's CLI and the package managers by their entry script
 * (`entry`, process.argv[1], often a symlink such as node_modules/.bin/tsx or /usr/bin/npm), and
 * `node --test`'s runner by its flag, unless it runs the tests in its own process.
 */
export function launcherOf(
  entry: string | undefined = process.argv[1],
  execArgv: readonly string[] = process.execArgv,
): string | undefined {
  if (isTestRunner(execArgv)) return 'node --test';
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
 * Whether this is `node --test`'s runner, which starts one child process per test file (with its own
 * node flags and environment) and runs no test itself, unless test isolation is off. `--test` is
 * refused in NODE_OPTIONS, and the children get no `--test`, so process.execArgv tells reliably.
 */
function isTestRunner(execArgv: readonly string[]): boolean {
  if (!execArgv.includes('--test')) return false;
  const isolation = execArgv.findIndex((arg) => /^--(?:experimental-)?test-isolation(?:=|$)/.test(arg));
  if (isolation === -1) return true;
  const arg = execArgv[isolation] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : execArgv[isolation + 1];
  return value !== 'none';
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
