// The stack's files through real validators: `promtool check config` on infra/prometheus.yml, Debian's
// docker-compose (the compose spec's JSON schema, no engine needed) on docker-compose.otel.yml for both
// stacks, and Prometheus's PromQL parser (`promtool check rules`) on every dashboard query.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { ROOT } from '../helpers/run-fixture.js';
import {
  COMPOSE_FILE,
  concreteQuery,
  dashboardQueries,
  INFRA,
  tracesToMetricsQueries,
} from '../helpers/stack-files.js';
import { run } from '../helpers/stack-tools.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logos-stack-validators-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('promtool accepts infra/prometheus.yml', async () => {
  const result = await run('promtool', ['check', 'config', join(INFRA, 'prometheus.yml')]);
  assert.equal(result.code, 0, result.output);
  assert.match(result.stdout, /SUCCESS/, result.output);
});

test('promtool really checks: it rejects a config with an unknown key', async () => {
  const bad = join(dir, 'bad-prometheus.yml');
  await writeFile(bad, 'scrape_configs:\n  - job_name: x\n    scrape_intervall: 5s\n');
  const result = await run('promtool', ['check', 'config', bad]);
  assert.notEqual(result.code, 0, result.output);
});

const compose = (args: string[], profiles?: string) =>
  run('docker-compose', ['-f', COMPOSE_FILE, ...args], {
    cwd: ROOT,
    env: profiles === undefined ? {} : { COMPOSE_PROFILES: profiles },
  });

for (const profiles of [undefined, 'tempo']) {
  const label = profiles === undefined ? 'the default stack' : `COMPOSE_PROFILES=${profiles}`;
  test(`docker-compose validates docker-compose.otel.yml for ${label}`, async () => {
    const result = await compose(['config', '-q'], profiles);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.stderr.trim(), '', result.output);
  });
}

test('docker-compose resolves the profiles and, from COMPOSE_PROFILES, the collector config', async () => {
  const resolved = async (profiles?: string) => parse((await compose(['config'], profiles)).stdout);
  const plain = await resolved();
  const profiled = Object.entries<{ profiles?: string[] }>(plain.services)
    .filter(([, service]) => service.profiles)
    .map(([name, service]) => `${name}:${service.profiles?.join(',')}`)
    .sort();
  assert.deepEqual(profiled, ['grafana:tempo', 'tempo:tempo']);
  assert.deepEqual(plain.services['otel-collector'].command, ['--config=/etc/otelcol-contrib/jaeger.yaml']);
  const tempo = await resolved('tempo');
  assert.deepEqual(tempo.services['otel-collector'].command, ['--config=/etc/otelcol-contrib/tempo.yaml']);
});

test('docker-compose really checks: it rejects a service with an unknown key', async () => {
  const bad = join(dir, 'bad-compose.yml');
  await writeFile(bad, 'services:\n  a:\n    image: busybox:1.36.1\n    portz: ["1:1"]\n');
  const result = await run('docker-compose', ['-f', bad, 'config', '-q']);
  assert.notEqual(result.code, 0, result.output);
  assert.match(result.output, /portz/);
});

test("every dashboard and trace-to-metrics query parses with Prometheus's PromQL parser", async () => {
  const queries = [
    ...dashboardQueries().map((q) => ({ name: q.panel, expr: q.expr })),
    ...tracesToMetricsQueries().map((expr) => ({ name: 'tempo tracesToMetrics', expr })),
  ];
  assert.ok(queries.length > 10);
  const rules = join(dir, 'queries.rules.yml');
  const group = queries.map((q, i) => ({ record: `logos:query_${i}`, expr: concreteQuery(q.expr) }));
  await writeFile(rules, stringify({ groups: [{ name: 'dashboard', rules: group }] }));
  const result = await run('promtool', ['check', 'rules', rules]);
  assert.equal(result.code, 0, `${result.output}\n${queries.map((q, i) => `${i}: ${q.name}`).join('\n')}`);
  assert.match(result.stdout, new RegExp(`${queries.length} rules found`), result.output);
});
