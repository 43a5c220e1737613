// The instrumentation registry against what is made from it by hand: each row's module (which the
// build bundles and lazy-module.ts loads by the row's path), the files in instrumentations/modules/,
// and the README's instrumentations table.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { INSTRUMENTATION_NAMES, OFF_BY_DEFAULT } from '../../src/config/instrumentations.js';
import { INSTRUMENTATIONS } from '../../src/instrumentations/registry.js';
import { ROOT } from '../helpers/run-fixture.js';

const SRC = join(ROOT, 'src');

test('names and modules are unique', () => {
  const names = INSTRUMENTATIONS.map((row) => row.name);
  assert.deepEqual(names, [...new Set(names)]);
  const modules = INSTRUMENTATIONS.map((row) => row.module);
  assert.deepEqual(modules, [...new Set(modules)]);
});

test('the config takes its names and defaults from the registry', () => {
  assert.deepEqual(
    INSTRUMENTATION_NAMES,
    INSTRUMENTATIONS.map((row) => row.name),
  );
  assert.deepEqual(
    OFF_BY_DEFAULT,
    INSTRUMENTATIONS.filter((row) => row.offByDefault).map((row) => row.name),
  );
});

for (const row of INSTRUMENTATIONS) {
  test(`${row.name}: its module exists and exports an Instrumentation class`, async () => {
    const file = join(SRC, `${row.module}.ts`);
    assert.ok(existsSync(file), `${row.module}.ts is missing`);
    const loaded = (await import(pathToFileURL(file).href)) as { Instrumentation?: unknown };
    const ctor = loaded.Instrumentation as { prototype?: { enable?: unknown } } | undefined;
    assert.equal(typeof ctor, 'function', `${row.module} exports no Instrumentation`);
    assert.equal(
      typeof ctor?.prototype?.enable,
      'function',
      `${row.module}'s Instrumentation has no enable()`,
    );
  });
}

test('every module in instrumentations/modules/ is a row (the build bundles only the rows)', () => {
  const rows = new Set<string>(INSTRUMENTATIONS.map((row) => row.module));
  const files = readdirSync(join(SRC, 'instrumentations', 'modules')).map(
    (file) => `instrumentations/modules/${file.replace(/\.ts$/, '')}`,
  );
  assert.deepEqual(
    files.filter((file) => !rows.has(file)),
    [],
  );
});

/** The README's instrumentations table: name, packages, default, signal, per row. */
function readmeRows(): { name: string; targets: string[]; offByDefault: boolean; signal: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### Instrumentations$/m)[1]?.split(/^#/m)[0];
  assert.ok(section !== undefined, 'the README has a "### Instrumentations" section');
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  return lines.slice(2).map((line) => {
    const [name = '', targets = '', byDefault = '', signal = ''] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    assert.match(byDefault, /^(on|off)$/, line);
    return {
      name: name.replace(/`/g, ''),
      targets: [...targets.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string),
      offByDefault: byDefault === 'off',
      signal,
    };
  });
}

test("the README's table lists exactly the registry's rows, with their packages, default and signal", () => {
  assert.deepEqual(
    readmeRows(),
    INSTRUMENTATIONS.map((row) => ({
      name: row.name,
      targets: [...row.targets],
      offByDefault: row.offByDefault,
      signal: row.signal,
    })),
  );
});
