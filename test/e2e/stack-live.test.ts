// Against a running docker-compose.otel.yml stack: collector healthy, the demo's services in Jaeger,
// Prometheus targets up, dashboard queries answered through the collector; Tempo and Grafana with
// COMPOSE_PROFILES=tempo. Skipped, saying so, when no stack answers (the README, "The observability stack": how to run it).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runChild } from '../helpers/child-process.js';
import { ROOT } from '../helpers/run-fixture.js';
import { concreteQuery, dashboardQueries } from '../helpers/stack-files.js';
import { eventually } from '../helpers/stack-tools.js';

const HOST = process.env.LOGOS_STACK_HOST?.trim() || '127.0.0.1';
const REQUIRED = process.env.LOGOS_STACK_REQUIRED === 'true';
const SERVICES = ['apollo', 'sophia', 'hermes'];
const url = {
  health: `http://${HOST}:13133/`,
  otlp: `http://${HOST}:4317`,
  jaeger: `http://${HOST}:16686`,
  prometheus: `http://${HOST}:9090`,
  tempo: `http://${HOST}:3200`,
  grafana: `http://${HOST}:3001`,
};

async function reachable(target: string): Promise<boolean> {
  return fetch(target, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );
}

async function getJson(target: string): Promise<Record<string, unknown>> {
  const response = await fetch(target, { signal: AbortSignal.timeout(5000) });
  assert.ok(response.ok, `${target}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The `data` of a Prometheus HTTP API answer. */
async function prometheusApi(path: string): Promise<Record<string, unknown>> {
  const body = await getJson(`${url.prometheus}${path}`);
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data as Record<string, unknown>;
}

// LOGOS_STACK_REQUIRED=true turns "no stack" from a skip into failures.
const stackUp = REQUIRED || (await reachable(url.health));
const tempoUp = stackUp && (await reachable(`${url.tempo}/ready`));
const skipStack = stackUp
  ? false
  : `SKIPPED: no observability stack answers at ${url.health}. To run these: ` +
    '`docker compose -f docker-compose.otel.yml up -d --wait`, then ' +
    '`LOGOS_STACK_REQUIRED=true npx tsx --test test/e2e/stack-live.test.ts` (the README, "The observability stack")';

describe('a running docker-compose.otel.yml stack', { skip: skipStack }, () => {
  test("the collector's health endpoint says it is available", async () => {
    const health = await getJson(url.health);
    assert.equal(health.status, 'Server available', JSON.stringify(health));
  });

  test('after the demo ran against the collector, Jaeger lists apollo, sophia and hermes', async () => {
    const demo = await runChild({
      args: ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')],
      cwd: ROOT,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: url.otlp },
      timeoutMs: 90_000,
    });
    assert.equal(demo.code, 0, demo.output);
    await eventually(async () => {
      const { data } = await getJson(`${url.jaeger}/api/services`);
      const missing = SERVICES.filter((name) => !(data as string[]).includes(name));
      assert.deepEqual(missing, [], `Jaeger lists ${data}`);
    }, 30_000);
  });

  test('every Prometheus target is up', async () => {
    await eventually(async () => {
      const { activeTargets } = await prometheusApi('/api/v1/targets?state=active');
      const targets = activeTargets as { scrapeUrl: string; health: string; lastError: string }[];
      assert.ok(targets.length >= 4, `${targets.length} targets`);
      const down = targets
        .filter((t) => t.health !== 'up')
        .map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`);
      assert.deepEqual(down, []);
    }, 60_000);
  });

  test('through the collector, every dashboard query returns data for the demo services', async () => {
    for (const { panel, expr } of dashboardQueries()) {
      const query = concreteQuery(expr, { service: SERVICES.join('|'), rateInterval: '5m' });
      await eventually(
        async () => {
          const { result } = await prometheusApi(`/api/v1/query?query=${encodeURIComponent(query)}`);
          assert.ok((result as unknown[]).length > 0, `${panel}: no data for ${query}`);
        },
        60_000,
        1000,
      );
    }
  });

  test('Tempo has the demo services and Grafana serves the provisioned dashboard', {
    skip: tempoUp ? false : `SKIPPED: no Tempo at ${url.tempo} (started with COMPOSE_PROFILES=tempo)`,
  }, async () => {
    await eventually(async () => {
      const { tagValues } = await getJson(`${url.tempo}/api/search/tag/service.name/values`);
      const missing = SERVICES.filter((name) => !(tagValues as string[]).includes(name));
      assert.deepEqual(missing, [], `Tempo has ${tagValues}`);
    }, 30_000);
    const health = await getJson(`${url.grafana}/api/health`);
    assert.equal(health.database, 'ok');
    const found = (await getJson(`${url.grafana}/api/search?query=Logos%20services`)) as unknown as {
      uid: string;
    }[];
    assert.ok(
      found.some((d) => d.uid === 'logos-services'),
      JSON.stringify(found),
    );
  });
});
