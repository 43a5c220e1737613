// The bench apps' home: a temporary directory outside the repo whose node_modules holds only what
// the apps import (symlinks into the repo's node_modules), as in a real service. Under the repo, the
// root node_modules has every framework the agent knows (devDependencies), so our agent would load
// all their instrumentations; runs from there are labelled "repo node_modules".
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APPS = join(ROOT, 'bench', 'apps');

/**
 * The @logos/otel checkout the app workspace links to: the repo itself, or BENCH_OURS_ROOT (another
 * built checkout, to compare two versions of the agent with the same harness).
 */
export const OURS_ROOT = process.env.BENCH_OURS_ROOT || ROOT;

/** What the bench apps and the agents need, linked from the repo's node_modules. */
const LINKED = [
  'express',
  '@opentelemetry/api',
  '@opentelemetry/auto-instrumentations-node',
  '@opentelemetry/instrumentation',
  'dd-trace',
  '@elastic/opentelemetry-node',
  // first-request.ts runs the app under `--import tsx` too.
  'tsx',
] as const;

export interface Workspace {
  /** The directory holding the apps; use it as the cwd. */
  readonly dir: string;
  /** Path of a bench app inside it. */
  app(name: string): string;
  remove(): void;
}

/** A temporary app directory with the bench apps and a minimal node_modules; remove() it at the end. */
export function appWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'logos-otel-bench-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'bench-app', private: true, type: 'module' })}\n`,
  );
  for (const file of readdirSync(APPS))
    if (file.endsWith('.mjs')) copyFileSync(join(APPS, file), join(dir, file));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@opentelemetry'), { recursive: true });
  mkdirSync(join(modules, '@logos'), { recursive: true });
  mkdirSync(join(modules, '@elastic'), { recursive: true });
  for (const name of LINKED) symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  symlinkSync(OURS_ROOT, join(modules, '@logos', 'otel'), 'dir');
  return {
    dir,
    app: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The apps where they are, under the repo, whose node_modules has every framework. */
export const repoWorkspace: Workspace = {
  dir: APPS,
  app: (name) => join(APPS, name),
  remove: () => undefined,
};
