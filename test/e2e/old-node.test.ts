// On a Node older than 22.15 either register entry (--import, -r), and setupTelemetry() from code, say in one line
// that telemetry is off, and the app runs unchanged. Uses the machine's own Node (20 here) when there is one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FIXTURES } from '../helpers/run-fixture.js';

const candidates = ['/usr/bin/node', '/usr/local/bin/node'];
const old = candidates
  .map((path) => ({
    path,
    version: spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '',
  }))
  .find(({ version }) => /^v(1\d|2[01])\.|^v22\.(\d|1[0-4])\./.test(version));

for (const flag of ['--import', '-r']) {
  test(`an old Node prints one line and runs the app (${flag})`, {
    skip: old ? false : 'no Node older than 22.15 on this machine',
  }, () => {
    const run = spawnSync(old?.path ?? 'node', [flag, '@logos/otel/register', 'print-version.mjs'], {
      cwd: FIXTURES,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' },
      timeout: 10_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), old?.version);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /^@logos\/otel: telemetry is off: Node \d+\.\d+\.\d+ is older than 22\.15/);
  });
}

test('an old Node: setupTelemetry() prints one line, returns undefined, and the app runs on', {
  skip: old ? false : 'no Node older than 22.15 on this machine',
}, () => {
  const run = spawnSync(old?.path ?? 'node', ['setup-telemetry.mjs'], {
    cwd: FIXTURES,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' },
    timeout: 10_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), `${old?.version} no agent`);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0] ?? '', /^@logos\/otel: telemetry is off: Node \d+\.\d+\.\d+ is older than 22\.15/);
});
