// The README's table of variables is the one rendered from src/config/table.ts, and every variable
// the Configuration section names is one the agent reads; each table doc names its allowed values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { withVariablesTable } from '../../src/config/readme.js';
import { configVariables, specOf, VARIABLES, type VariableName } from '../../src/config/table.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

test('the README table is the one generated from the variables table', () => {
  assert.equal(
    README,
    withVariablesTable(README),
    'README.md is out of date: run `npx tsx scripts/config-readme.ts`',
  );
});

test('every variable the Configuration section names is in the table', () => {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('## Project layout'));
  const named = new Set(section.match(/\b(OTEL|LOGOS_OTEL)_[A-Z_]+[A-Z]\b/g) ?? []);
  assert.ok(named.size > 30, `${named.size} names found`);
  const read = configVariables();
  assert.deepEqual(
    [...named].filter((name) => !read.has(name)),
    [],
  );
});

test('each doc line of a variable with fixed values names all of them (or its default or the row above does)', () => {
  const named = new Set<readonly string[]>();
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const spec = specOf(name);
    if ((spec.kind !== 'enum' && spec.kind !== 'list') || spec.values === undefined) continue;
    if (named.has(spec.values)) continue;
    named.add(spec.values);
    const shown = `${spec.doc} ${spec.shownDefault ?? ''} ${[spec.default].flat().join(',')}`;
    for (const value of spec.values) assert.ok(shown.includes(value), `${name}: ${value}`);
  }
});

test('the doc line of a duration says it is in milliseconds', () => {
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const spec = specOf(name);
    if ('unit' in spec && spec.unit === 'ms') assert.match(spec.doc, /^Milliseconds /, name);
  }
});
