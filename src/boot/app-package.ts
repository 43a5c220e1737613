// Finds the app's own package.json (name and version) for the default service name.
// Loaded by boot/start.ts; reads at most a few small files, once, at start-up.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppPackage } from '../config/config.js';

/** The name and version of the nearest package.json above the app's entry script (or `cwd`). */
export function findAppPackage(entry: string | undefined = process.argv[1], cwd = process.cwd()): AppPackage {
  let dir = entry ? dirname(resolve(cwd, entry)) : cwd;
  for (let depth = 0; depth < 32; depth++) {
    if (!dir.split(/[\\/]/).includes('node_modules')) {
      const found = readPackage(join(dir, 'package.json'));
      if (found?.name !== undefined) return found;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

function readPackage(path: string): AppPackage | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as { name?: unknown; version?: unknown };
    return {
      name: typeof json.name === 'string' && json.name !== '' ? json.name : undefined,
      version: typeof json.version === 'string' ? json.version : undefined,
    };
  } catch {
    return undefined;
  }
}
