// Prints the faults suite's rows as one plain-text table, then what failed. Loaded by run.ts.
import type { Row } from './lib.js';

const num = (value: number | undefined, digits = 0): string =>
  value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits);
const ratio = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? '' : ` (x${value.toFixed(2)})`;

const COLUMNS: readonly [string, (r: Row) => string][] = [
  ['fault', (r) => r.fault],
  ['requests', (r) => num(r.requests)],
  ['errors', (r) => num(r.errors)],
  ['p50 ms (vs base)', (r) => (r.p50Ms === undefined ? '-' : `${num(r.p50Ms, 2)}${ratio(r.p50Ratio)}`)],
  ['p99 ms (vs base)', (r) => (r.p99Ms === undefined ? '-' : `${num(r.p99Ms, 2)}${ratio(r.p99Ratio)}`)],
  ['loop p99/max ms', (r) => (r.eldMaxMs === undefined ? '-' : `${num(r.eldP99Ms)}/${num(r.eldMaxMs)}`)],
  ['peak RSS MiB', (r) => num(r.peakRssMiB, 1)],
  ['made', (r) => num(r.made)],
  ['delivered', (r) => num(r.delivered)],
  ['dropped', (r) => num(r.dropped)],
  ['exit', (r) => r.exit ?? '-'],
  ['exit ms', (r) => num(r.exitMs)],
  ['result', (r) => (r.failures.length === 0 ? 'ok' : 'FAIL')],
];

/** The table as lines: header, rule, one line per row; columns empty in every row are left out. */
export function formatTable(rows: readonly Row[]): string[] {
  const columns = COLUMNS.filter(([, cell]) => rows.some((r) => cell(r) !== '-'));
  const cells = rows.map((r) => columns.map(([, cell]) => cell(r)));
  const widths = columns.map(([title], i) =>
    Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

/** Notes and failures below the table, one block per row that has any. */
export function formatDetails(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.note) out.push(`- ${r.fault}: ${r.note}`);
    for (const failure of r.failures) out.push(`  FAIL ${r.fault}: ${failure}`);
  }
  return out;
}
