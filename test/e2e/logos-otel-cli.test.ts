// The `logos-otel` command line as a user meets it (the compiled bin): --help on every command,
// --version, one clear line and exit 2 for every bad flag, and a busy port named with what to do.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runFixture } from '../helpers/run-fixture.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const cli = (...args: string[]) => runFixture({ script: CLI, register: false, args, timeoutMs: 10_000 });

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

for (const args of [['--help'], ['-h'], [], ['dev', '--help'], ['dev', '-h']]) {
  test(`logos-otel ${args.join(' ') || '(no arguments)'} prints usage on stdout and exits 0`, async () => {
    const run = await cli(...args);
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /^usage: logos-otel/);
    assert.equal(run.stderr, '');
  });
}

test('logos-otel --version prints the version from package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const run = await cli('--version');
  assert.equal(run.code, 0, run.output);
  assert.equal(run.stdout, `${version}\n`);
  assert.equal(run.stderr, '');
});

const BAD: [string[], string][] = [
  [['dev', '--grpc-port', 'off', '--http-port', 'off'], '--grpc-port and --http-port are both off'],
  [
    ['dev', '--quiet-ms', 'x'],
    "--quiet-ms must be a whole number of milliseconds from 1 to 3600000, not 'x'",
  ],
  [
    ['dev', '--quiet-ms', '0'],
    "--quiet-ms must be a whole number of milliseconds from 1 to 3600000, not '0'",
  ],
  [
    ['dev', '--quiet-ms', '1e9'],
    "--quiet-ms must be a whole number of milliseconds from 1 to 3600000, not '1e9'",
  ],
  [
    ['dev', '--metrics-every', 'abc'],
    "--metrics-every must be a whole number of seconds from 0 (none) to 86400, not 'abc'",
  ],
  [
    ['dev', '--metrics-every=-1'],
    "--metrics-every must be a whole number of seconds from 0 (none) to 86400, not '-1'",
  ],
  [
    ['dev', '--metrics-every', '-1'],
    "--metrics-every got no value (one starting with '-' is written --metrics-every=-1)",
  ],
  [
    ['dev', '--grpc-port', 'lots'],
    "--grpc-port must be a port number (0 for any free port) or 'off', not 'lots'",
  ],
  [
    ['dev', '--http-port', '70000'],
    "--http-port must be a port number (0 for any free port) or 'off', not '70000'",
  ],
  [['dev', '--prot', 'grpc'], "Unknown option '--prot' (see logos-otel dev --help)"],
  [['dev', 'now'], "Unexpected argument 'now' (see logos-otel dev --help)"],
  [['dev', '--host'], "Option '--host <value>' argument missing"],
  [['serve'], "unknown command 'serve'"],
  [['--verbose'], "unknown flag '--verbose'"],
];

for (const [args, message] of BAD) {
  test(`logos-otel ${args.join(' ')}: one line on stderr, exit 2`, async () => {
    const run = await cli(...args);
    assert.equal(run.code, 2, run.output);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0]?.startsWith('logos-otel: '), run.stderr);
    assert.ok(lines[0]?.includes(message), `${JSON.stringify(message)} in ${run.stderr}`);
  });
}

for (const flag of ['grpc-port', 'http-port'] as const) {
  test(`a busy --${flag} is one line naming the port and what to do, exit 1`, async () => {
    const { server, port } = await occupy();
    try {
      const other = flag === 'grpc-port' ? 'http-port' : 'grpc-port';
      const run = await cli('dev', `--${flag}`, String(port), `--${other}`, '0');
      assert.equal(run.code, 1, run.output);
      assert.equal(
        run.stderr,
        `logos-otel: port ${port} is in use (127.0.0.1:${port}): stop what holds it or pass --${flag} 0 for a free port\n`,
      );
    } finally {
      server.close();
    }
  });
}
