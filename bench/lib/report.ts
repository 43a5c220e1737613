// Output of every scenario: a fixed-width table on stdout (also valid Markdown) and a JSON file in
// .bench-results/<scenario>.json with the machine, the settings and every sample.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Summary } from './stats.js';
import { ROOT } from './workspace.js';

export const RESULTS = join(ROOT, '.bench-results');

/** The machine and runtime a result comes from. */
export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly commit: string;
  /** 1-minute load average when the run started: above ~0.3, something else was using the cores. */
  readonly loadAverage: number;
}

export function machine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: keep "unknown".
  }
  const run = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return 'unknown';
    }
  };
  const status = run('git', ['status', '--porcelain', '--', 'src']);
  const dirty = status !== '' && status !== 'unknown';
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    cpu,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: run('uname', ['-sr']),
    commit: `${run('git', ['rev-parse', '--short', 'HEAD'])}${dirty ? ' (+ uncommitted changes in src/)' : ''}`,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** `median (min-max)` with `digits` decimals. */
export function fmt(s: Summary, digits = 0): string {
  if (s.n === 0) return 'n/a';
  const f = (x: number): string => x.toFixed(digits);
  return s.n === 1 || s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}-${f(s.max)})`;
}

/** `x1.23`, or '' when either side is missing. */
export function fmtRatio(value: number): string {
  return Number.isFinite(value) ? `x${value.toFixed(2)}` : '';
}

/** A verdict cell: what the target is and whether the measured value meets it. */
export function verdict(met: boolean | undefined, target: string): string {
  if (met === undefined) return '';
  return `${met ? 'met' : 'MISSED'}: ${target}`;
}

/** Prints a Markdown table with aligned columns and returns its text. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const text = [
    `### ${title}`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n');
  console.log(text);
  return text;
}

/** Writes .bench-results/<scenario>.json and returns its path. */
export function writeResults(scenario: string, data: Record<string, unknown>): string {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${scenario}.json`);
  const replacer = (_key: string, value: unknown): unknown =>
    typeof value === 'bigint' ? value.toString() : value;
  writeFileSync(file, `${JSON.stringify({ scenario, machine: machine(), ...data }, replacer, 2)}\n`);
  console.log(`results: ${file}`);
  return file;
}

/** Appends the tables to .bench-results/<scenario>.md, for docs/benchmarks.md. */
export function writeMarkdown(scenario: string, text: string): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${scenario}.md`), text);
}
