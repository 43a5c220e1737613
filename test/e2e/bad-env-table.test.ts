// A real app starts and serves with every variable of the variables table malformed, a few
// processes in all (one per kind of value, per-signal variables apart because they shadow the
// general ones): it prints exactly the warnings parseConfig gives for that environment, one per
// bad variable. A variable added to the table is covered here without a change.
// test/unit/config-table.test.ts checks each bad value alone; this checks the real process.
// Fixture: http-service.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Env, parseConfig } from '../../src/config/config.js';
import { namesOf, specOf, VARIABLES, type VariableKind, type VariableName } from '../../src/config/table.js';
import { closedPort } from '../helpers/otlp.js';
import { portOf, startFixture, supervise } from '../helpers/run-fixture.js';

/** One malformed value per kind (the unit test tries several). */
const BAD: Partial<Record<VariableKind, string>> = {
  bool: 'maybe',
  int: '12abc',
  number: 'NaN',
  enum: 'bogus',
  list: 'bogus-name',
  url: 'http://[::1',
  pairs: 'novalue,=empty-key',
};

/** Read only with the Prometheus exporter on, which listens on a fixed port: not started here. */
const notStarted = (entry: VariableName) => specOf(entry).readWhen?.OTEL_METRICS_EXPORTER === 'prometheus';

function environment(kind: VariableKind, perSignal: boolean, names: string[], port: number): Env {
  // INSECURE is read only for an endpoint without a scheme.
  const endpoint = kind === 'bool' ? `127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    OTEL_SERVICE_NAME: 'bad-env-table',
    OTEL_TRACES_SAMPLER: 'traceidratio',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_METRIC_EXPORT_INTERVAL: '60000',
  };
  if (perSignal) {
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = endpoint;
    env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = endpoint;
  }
  for (const name of names) env[name] = BAD[kind] as string;
  return env;
}

const groups: { kind: VariableKind; perSignal: boolean; names: string[] }[] = [];
for (const entry of Object.keys(VARIABLES) as VariableName[]) {
  const { kind } = specOf(entry);
  if (BAD[kind] === undefined || notStarted(entry)) continue;
  for (const name of namesOf(entry)) {
    const perSignal = name !== entry;
    let group = groups.find((g) => g.kind === kind && g.perSignal === perSignal);
    if (group === undefined) {
      group = { kind, perSignal, names: [] };
      groups.push(group);
    }
    group.names.push(name);
  }
}

test('every variable in the table, malformed, in a real process: it starts, serves and warns once per variable', async () => {
  const port = await closedPort();
  const warned = new Set<string>();
  const runOne = async (group: (typeof groups)[number]): Promise<void> => {
    const env = environment(group.kind, group.perSignal, group.names, port);
    const expected = parseConfig(env).warnings;
    const app = startFixture({
      script: 'http-service.mjs',
      env: env as Record<string, string>,
      timeoutMs: 15_000,
    });
    await supervise(
      app,
      async () => {
        const appPort = await portOf(app);
        const res = await fetch(`http://127.0.0.1:${appPort}/hello`);
        assert.equal(`${res.status} ${await res.text()}`, '200 hello ');
        await app.stop();
        // The collector here is absent on purpose: its failure line and closing count are not warnings.
        const lines = app.stderr
          .split('\n')
          .filter((l) => l !== '' && !l.includes('cannot export') && !l.includes('failed until exit'));
        assert.deepEqual(
          lines,
          expected.map((w) => `@logos/otel: ${w.message}`),
          app.output(),
        );
        for (const name of group.names) {
          const mine = expected.filter((w) => w.variable === name);
          assert.ok(mine.length <= 1, `${name}: ${mine.length} warnings`);
          if (mine.length === 1) warned.add(name);
        }
      },
      {
        stop: 'SIGKILL',
        note: () => `${group.kind}${group.perSignal ? ' (per signal)' : ''}: ${group.names.join(', ')}`,
      },
    );
  };
  // Three processes at a time.
  for (let i = 0; i < groups.length; i += 3) await Promise.all(groups.slice(i, i + 3).map(runOne));

  const all = groups.flatMap((g) => g.names);
  assert.deepEqual(
    all.filter((name) => !warned.has(name)),
    [],
    'every malformed variable was warned about in some process',
  );
  console.log(`# ${all.length} variables in ${groups.length} processes`);
});
