// ExportReporter on node:test's mock clock: one warning at the first failure, then at most one
// summary a minute with the count, one line on recovery with the count of the outage, and the
// closing lines at exit. The reporter is the real one; its lines are collected instead of printed.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { ExportReporter } from '../../src/export/reporter.js';

function reporter(): { reporter: ExportReporter; lines: string[] } {
  const lines: string[] = [];
  const r = new ExportReporter({
    signal: 'traces',
    unit: 'spans',
    endpoint: 'http://collector:4317',
    log: (line) => lines.push(line),
  });
  return { reporter: r, lines };
}

beforeEach(() => mock.timers.enable({ apis: ['Date'] }));
afterEach(() => mock.timers.reset());

test('the first failure warns once with its reason; later ones in the same minute say nothing', () => {
  const { reporter: r, lines } = reporter();
  r.failed(3, '14 UNAVAILABLE: connection refused');
  r.failed(2, 'another reason');
  mock.timers.tick(59_000);
  r.failed(1, undefined);
  assert.equal(lines.length, 1);
  assert.match(
    lines[0] ?? '',
    /^cannot export traces to http:\/\/collector:4317 \(14 UNAVAILABLE: connection refused\); the service is not affected/,
  );
});

test('a minute after the warning, the next failure prints the count since then and in all', () => {
  const { reporter: r, lines } = reporter();
  r.failed(3, 'down');
  r.failed(2, undefined);
  mock.timers.tick(60_000);
  r.failed(1, undefined);
  assert.equal(lines.length, 2);
  assert.match(lines[1] ?? '', /still failing: 6 spans dropped since the last report \(6 in all\)/);
});

test('recovery is said once, with what the outage dropped; a success while healthy says nothing', () => {
  const { reporter: r, lines } = reporter();
  r.succeeded();
  assert.deepEqual(lines, []);
  r.failed(4, 'down');
  r.succeeded();
  r.succeeded();
  assert.equal(lines.length, 2);
  assert.match(lines[1] ?? '', /works again; 4 spans were dropped while it failed/);
  // A new outage warns again at once.
  r.failed(1, 'down again');
  assert.match(lines[2] ?? '', /^cannot export traces .*\(down again\)/);
});

test('at exit: items still on their way are said, and an outage with unreported drops gets its total', () => {
  const { reporter: r, lines } = reporter();
  r.finalSummary(0);
  assert.deepEqual(lines, [], 'nothing to say');
  r.failed(2, 'down');
  r.failed(5, undefined);
  r.finalSummary(7);
  assert.match(lines[1] ?? '', /did not finish before exit: 7 spans may be lost/);
  assert.match(lines[2] ?? '', /failed until exit: 7 spans dropped in all/);
});
