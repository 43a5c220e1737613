// `logos-otel doctor` as a user runs it (the compiled bin) in various environments, and
// LOGOS_OTEL_DOCTOR=true on a real service start: the lines a user reads, no secret ever printed,
// exit code 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChild } from '../helpers/child-process.js';
import { receiver } from '../helpers/otlp.js';
import { FIXTURES, ROOT, runFixture } from '../helpers/run-fixture.js';

const CLI = join(ROOT, 'dist', 'cli.js');

/** Runs `logos-otel doctor` in a clean environment (PATH and HOME plus `env`), from `cwd`. */
async function doctor(
  env: Record<string, string>,
  args: string[] = [],
  cwd = FIXTURES,
  node = process.execPath,
): ReturnType<typeof runChild> {
  return runChild({ command: node, args: [CLI, 'doctor', ...args], cwd, env, timeoutMs: 15_000 });
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('doctor without an endpoint: nothing exported, and the advice says to set one', async () => {
  const run = await doctor({});
  assert.equal(run.code, 0, run.output);
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /^@logos\/otel \d+\.\d+\.\d+\S* doctor$/m);
  assert.match(run.stdout, /^node {6}\d+\.\d+\.\d+ .*: supported \(22\.15 or newer\)$/m);
  assert.match(run.stdout, /^agent {5}not in NODE_OPTIONS: /m);
  assert.match(run.stdout, /^traces {4}not exported: no endpoint: OTEL_EXPORTER_OTLP_ENDPOINT is not set$/m);
  assert.match(run.stdout, /^metrics {3}not exported: no endpoint/m);
  assert.match(run.stdout, /^ {2}OTEL_TRACES_SAMPLER = parentbased_always_on {2}\(default\)$/m);
  assert.match(run.stdout, /^ {2}on \(Node's own modules\): http, undici, runtime-node$/m);
  assert.match(run.stdout, /^ {2}on, package found: express, fastify, koa/m);
  assert.match(run.stdout, /^ {2}off: fs, dns, net /m);
  assert.match(run.stdout, /^ {2}- Nothing is exported: set OTEL_EXPORTER_OTLP_ENDPOINT/m);
  assert.match(
    run.stdout,
    /^ {2}- Start the app with the agent: NODE_OPTIONS="--import @logos\/otel\/register"/m,
  );
  assert.ok(run.stdout.split('\n').length < 45, 'one screen');
});

test('doctor with a live receiver endpoint: the endpoint answers and nothing needs changing', async () => {
  const live = await receiver();
  try {
    const run = await doctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: live.grpcEndpoint,
      OTEL_SERVICE_NAME: 'shop',
      NODE_OPTIONS: '--import @logos/otel/register',
    });
    assert.equal(run.code, 0, run.output);
    const endpoint = live.grpcEndpoint.replace(/[.]/g, '\\.');
    assert.match(
      run.stdout,
      new RegExp(`^traces {4}OTLP grpc to ${endpoint} \\(OTEL_EXPORTER_OTLP_ENDPOINT\\): answers$`, 'm'),
    );
    assert.match(run.stdout, new RegExp(`^metrics {3}OTLP grpc to ${endpoint} .*: answers$`, 'm'));
    assert.match(run.stdout, /^agent {5}NODE_OPTIONS loads @logos\/otel\/register with --import/m);
    assert.match(run.stdout, /^ {2}service\.name = shop {2}\(env OTEL_SERVICE_NAME\)$/m);
    // This repository has ts-node (its -r tests use it), which earns its own line of advice here.
    const advice = run.stdout.slice(run.stdout.indexOf('\nadvice\n')).split('\n');
    const changes = advice.filter(
      (l) => l.startsWith('  - ') && !/Nothing to change|ts-node is installed/.test(l),
    );
    assert.deepEqual(changes, [], run.output);
  } finally {
    await live.close();
  }
});

test('doctor with a closed port: does not answer, and says what to do', async () => {
  const port = await closedPort();
  const started = Date.now();
  const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
  assert.equal(run.code, 0, run.output);
  assert.match(
    run.stdout,
    new RegExp(`^traces .*127\\.0\\.0\\.1:${port} .*: does not answer: refused$`, 'm'),
  );
  assert.match(
    run.stdout,
    new RegExp(
      `^ {2}- Nothing answers at http://127\\.0\\.0\\.1:${port} \\(refused\\): start the collector`,
      'm',
    ),
  );
  assert.ok(Date.now() - started < 10_000);
});

test('doctor --no-probe connects to nothing', async () => {
  const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317' }, ['--no-probe']);
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /^traces .*: not probed/m);
  assert.doesNotMatch(run.stdout, /answers/);
});

test('doctor shows each bad value with the fallback used, and names variables it does not read', async () => {
  const run = await doctor(
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_BSP_SCHEDULE_DELAY: 'abc',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_METRIC_EXPORT_INTERVAL: '2000',
      OTEL_EXPORTR_OTLP_HEADERS: 'authorization=typo-secret',
    },
    ['--no-probe'],
  );
  assert.equal(run.code, 0, run.output);
  assert.match(
    run.stdout,
    /^ {2}OTEL_BSP_SCHEDULE_DELAY = 5000 ms {2}\(fallback: OTEL_BSP_SCHEDULE_DELAY='abc' is not a whole number .*; using 5000\)$/m,
  );
  assert.match(
    run.stdout,
    /^ {2}OTEL_TRACES_SAMPLER = parentbased_always_on {2}\(fallback: OTEL_TRACES_SAMPLER='sometimes'/m,
  );
  assert.match(run.stdout, /^ {2}OTEL_METRIC_EXPORT_INTERVAL = 2000 ms {2}\(env\)$/m);
  assert.match(run.stdout, /^ {2}- 2 bad value\(s\) fell back to defaults/m);
  assert.match(
    run.stdout,
    /^ {2}- OTEL_EXPORTR_OTLP_HEADERS is set but @logos\/otel does not read it: a typo\?$/m,
  );
  assert.doesNotMatch(run.stdout, /typo-secret/);
});

test('doctor never prints a secret: header values and URL credentials are [REDACTED]', async () => {
  const secrets = ['hunter2', 'topsecret', 'qtoken', 'raw-bearer', 'signal-key'];
  const run = await doctor({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://admin:hunter2@127.0.0.1:${await closedPort()}/?token=qtoken`,
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20topsecret,Bearer raw-bearer',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=signal-key',
  });
  assert.equal(run.code, 0, run.output);
  for (const secret of secrets) {
    assert.ok(
      !run.stdout.includes(secret) && !run.stderr.includes(secret),
      `${secret} printed:\n${run.output}`,
    );
  }
  assert.match(run.stdout, /^ {2}OTEL_EXPORTER_OTLP_HEADERS = authorization=\[REDACTED\]/m);
  assert.match(run.stdout, /^ {2}OTEL_EXPORTER_OTLP_TRACES_HEADERS = x-api-key=\[REDACTED\] {2}\(env\)$/m);
  assert.match(
    run.stdout,
    /^traces {4}OTLP grpc to http:\/\/\[REDACTED\]@127\.0\.0\.1:\d+\/\?token=\[REDACTED\] /m,
  );
});

for (const [endpoint, protocol, advice] of [
  ['http://127.0.0.1:4318', 'grpc', /uses port 4318, the OTLP\/HTTP port, with protocol grpc/],
  [
    'http://127.0.0.1:4317',
    'http/protobuf',
    /uses port 4317, the OTLP\/gRPC port, with protocol http\/protobuf/,
  ],
] as const) {
  test(`doctor: port ${endpoint.slice(-4)} with protocol ${protocol} is the wrong protocol for the port`, async () => {
    const run = await doctor(
      { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol },
      ['--no-probe'],
    );
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, advice);
  });
}

test('doctor: -r preloads with --import are told to use -r; OTEL_SDK_DISABLED is named', async () => {
  const run = await doctor({
    NODE_OPTIONS: `-r ${join(FIXTURES, 'ts-require-hook.cjs')} --import @logos/otel/register`,
    OTEL_SDK_DISABLED: 'true',
  });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /^agent {5}disabled: OTEL_SDK_DISABLED is true/m);
  assert.match(
    run.stdout,
    /^ {2}- -r preloads \(.*ts-require-hook\.cjs\) run before --import: load the agent with -r/m,
  );
  assert.match(run.stdout, /^ {2}- Unset OTEL_SDK_DISABLED/m);
});

test('doctor from a directory without the package or any instrumented package says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  try {
    const run = await doctor({}, [], dir);
    assert.equal(run.code, 0, run.output);
    assert.match(run.stdout, /@logos\/otel\/register cannot be loaded from .*: it is not installed here/);
    assert.match(run.stdout, /^ {2}on, package found: none$/m);
    assert.match(run.stdout, /^ {2}not loaded, package not found: express, fastify/m);
    assert.match(run.stdout, /^ {2}service\.name = unknown_service:node {2}\(default/m);
    assert.match(run.stdout, /^ {2}- Install @logos\/otel in the app/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('LOGOS_OTEL_DOCTOR=true on a real service start prints the report once on stderr; the app is unchanged', async () => {
  const run = await runFixture({
    script: 'short-script.mjs',
    env: { LOGOS_OTEL_DOCTOR: 'true', OTEL_SERVICE_NAME: 'shop', SPANS: '1' },
  });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /^\{"spans":1,/);
  assert.equal(run.stderr.match(/doctor \(LOGOS_OTEL_DOCTOR, pid \d+\)/g)?.length, 1, run.output);
  assert.match(
    run.stderr,
    /^agent {5}running in pid \d+ \(main thread\), loaded by --import @logos\/otel\/register \(command line\)$/m,
  );
  assert.match(run.stderr, /^ {2}service\.name = shop {2}\(env OTEL_SERVICE_NAME\)$/m);
  assert.match(run.stderr, /^traces {4}not exported: no endpoint/m);
});

test('LOGOS_OTEL_DOCTOR=probe under -r probes the endpoint once', async () => {
  const port = await closedPort();
  const run = await runFixture({
    script: 'short-script.mjs',
    register: false,
    nodeArgs: ['-r', '@logos/otel/register'],
    env: { LOGOS_OTEL_DOCTOR: 'probe', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, SPANS: '1' },
  });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /loaded by -r @logos\/otel\/register \(command line\)/);
  assert.match(
    run.stderr,
    new RegExp(`^traces .*127\\.0\\.0\\.1:${port} .*: does not answer: refused$`, 'm'),
  );
});

// The machine's own Node (20 here), which is what a bare `npx logos-otel doctor` often runs on.
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) =>
  /^v(1\d|2[01])\.|^v22\.(\d|1[0-4])\./.test(
    spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '',
  ),
);

test('doctor on a Node older than 22.15 says telemetry would be off and what to run instead', {
  skip: oldNode ? false : 'no Node older than 22.15 on this machine',
}, async () => {
  const run = await doctor(
    { NODE_OPTIONS: '--import @logos/otel/register' },
    ['--no-probe'],
    FIXTURES,
    oldNode,
  );
  assert.equal(run.code, 0, run.output);
  assert.match(
    run.stdout,
    /^node {6}\d+\.\d+\.\d+ \(.*\): older than 22\.15: the register turns telemetry off$/m,
  );
  assert.match(run.stdout, /^agent {5}off: an app on Node /m);
  assert.match(run.stdout, /^ {2}- Run the app on Node 22\.15 or newer/m);
});
