// Tells whether the app can load a package, by looking for node_modules/<name>/package.json from
// the app's directories upwards. Used by boot/start.ts (and the doctor) so that only the
// instrumentations whose target modules are present get loaded. A few stat calls per package, once, at start-up.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The directories the app resolves packages from: its entry script's and the working directory. */
export function appDirectories(entry: string | undefined = process.argv[1], cwd = process.cwd()): string[] {
  const dirs = [cwd];
  if (entry) dirs.unshift(dirname(resolve(cwd, entry)));
  return [...new Set(dirs)];
}

/** A checker that answers whether `name` is installed where one of `dirs` (or a parent) can reach it. */
export function presenceChecker(dirs: readonly string[]): (name: string) => boolean {
  const cache = new Map<string, boolean>();
  return (name) => {
    let found = cache.get(name);
    if (found === undefined) {
      found = dirs.some((dir) => installedFrom(dir, name));
      cache.set(name, found);
    }
    return found;
  };
}

function installedFrom(start: string, name: string): boolean {
  let dir = start;
  for (let depth = 0; depth < 64; depth++) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
  return false;
}
