// Writes the README's table of variables from src/config/table.ts: run it after changing the table
// (`npx tsx scripts/config-readme.ts`). test/unit/config-readme.test.ts fails until it is run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVariablesTable } from '../src/config/readme.js';

const path = join(import.meta.dirname, '..', 'README.md');
const updated = withVariablesTable(readFileSync(path, 'utf8'));
if (updated === undefined) {
  console.error('README.md has no variables markers; see src/config/readme.ts');
  process.exitCode = 1;
} else writeFileSync(path, updated);
