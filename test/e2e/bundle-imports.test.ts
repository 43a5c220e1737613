// Every package that dist/ loads at run time is a Node built-in or a declared dependency: under an
// isolated install (pnpm, npm's linked strategy) an undeclared one is simply not there. Scans the
// built files for static imports, require(), the bundlers' __require() and import() of bare names.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/run-fixture.js';

const DIST = join(ROOT, 'dist');

// `from "x"`, `import "x"`, `import("x")`, `require("x")`, `__require("x")`, `require.resolve("x")`.
const LOADS = /(?:\bfrom|\bimport|\brequire|\b__require|\brequire\.resolve)\s*\(?\s*(["'])([^"'\n]+)\1/g;
const BARE = /^(?:@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*/;

/** The package a specifier names (`@scope/name` or `name`), or undefined for paths and URLs. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return undefined;
  return BARE.exec(specifier)?.[0];
}

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(?:c|m)?js$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

test('dist/ loads at run time only Node built-ins and packages declared in dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const files = builtFiles(DIST);
  assert.ok(files.length > 10, 'dist/ is built (npm run build)');
  const undeclared: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(LOADS)) {
      const name = packageOf(match[2] as string);
      if (name === undefined || isBuiltin(name)) continue;
      seen.add(name);
      if (!declared.has(name)) undeclared.push(`${file.slice(DIST.length + 1)}: ${match[0]}`);
    }
  }
  assert.deepEqual(undeclared, [], 'bundle these or declare them in dependencies');
  // The scan does find the packages deliberately left external.
  assert.ok(seen.has('import-in-the-middle') && seen.has('@grpc/grpc-js'), [...seen].join(', '));
});
