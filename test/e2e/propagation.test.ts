// One trace crosses Apollo, Sophia and Hermes: the three example services run as real processes
// with the real register, Apollo's CLI makes a plan, and the receiver must see a single trace whose
// parent links cross each process boundary, with the manual spans in the right places, metrics from
// all three, and a failure in Hermes shown as an error all the way up to Apollo.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Stack, startStack } from '../../scripts/stack.js';
import { KIND, type ReceivedSpan, type Receiver, receiver } from '../helpers/otlp.js';

let r: Receiver;
let stack: Stack;

before(async () => {
  r = await receiver();
  stack = await startStack({
    endpoint: r.grpcEndpoint,
    env: { OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRIC_EXPORT_INTERVAL: '500' },
  });
});

after(async () => {
  await stack?.stop();
  await r?.close();
});

const service = (span: ReceivedSpan) => String(span.resource['service.name']);

/**
 * All spans of the trace of the `apollo.command` for `goal` (the trace whose Sophia plan span names
 * the goal), once it is whole: all three services in it, the parent of every span but the command
 * received, and the server side of every client span.
 */
async function traceOf(goal: string): Promise<ReceivedSpan[]> {
  const spansOfGoal = (): ReceivedSpan[] => {
    const planned = r.spans.find((s) =>
      String(s.attributes['plan.goal'] ?? s.attributes['command.goal'] ?? '').includes(goal),
    );
    return planned === undefined ? [] : r.spans.filter((s) => s.traceId === planned.traceId);
  };
  const whole = (spans: readonly ReceivedSpan[]): boolean => {
    const ids = new Set(spans.map((s) => s.spanId));
    const parents = new Set(spans.map((s) => s.parentSpanId));
    const services = new Set(spans.map(service));
    return (
      spans.some((s) => s.name === 'apollo.command') &&
      services.has('apollo') &&
      services.has('sophia') &&
      services.has('hermes') &&
      spans.every((s) => ids.has(s.parentSpanId) || s.name === 'apollo.command') &&
      spans.every((s) => s.kind !== KIND.client || parents.has(s.spanId))
    );
  };
  await r.waitFor(() => whole(spansOfGoal()), 20_000);
  return spansOfGoal();
}

function ancestors(span: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let p = byId.get(span.parentSpanId); p !== undefined; p = byId.get(p.parentSpanId)) chain.push(p);
  return chain;
}

test('apollo plan: one trace across three processes, linked client -> server at each hop', async () => {
  const goal = 'stack the blue crates';
  const run = await stack.runApollo(['plan', goal]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const spans = await traceOf(goal);
  const byId = new Map(spans.map((s) => [s.spanId, s]));

  assert.deepEqual(new Set(spans.map(service)), new Set(['apollo', 'sophia', 'hermes']));
  assert.ok(spans.every((s) => s.traceId === spans[0]?.traceId));
  const roots = spans.filter((s) => !byId.has(s.parentSpanId));
  assert.deepEqual(
    roots.map((s) => s.name),
    ['apollo.command'],
    'one root: the command',
  );

  // Apollo client -> Sophia server -> Sophia client -> Hermes server.
  const sophiaServer = spans.find((s) => service(s) === 'sophia' && s.kind === KIND.server);
  assert.ok(sophiaServer, 'Sophia server span');
  const apolloClient = byId.get(sophiaServer.parentSpanId);
  assert.equal(apolloClient?.kind, KIND.client);
  assert.equal(apolloClient && service(apolloClient), 'apollo');
  const hermesServers = spans.filter((s) => service(s) === 'hermes' && s.kind === KIND.server);
  const fromSophia = hermesServers
    .map((h) => byId.get(h.parentSpanId))
    .filter((p) => p && service(p) === 'sophia');
  assert.ok(fromSophia.length >= 2, 'Sophia calls Hermes for /embed and /llm');
  for (const client of fromSophia) {
    assert.equal(client?.kind, KIND.client);
    assert.ok(
      client && ancestors(client, spans).includes(sophiaServer),
      'the Sophia client span is under its server span',
    );
  }

  for (const server of spans.filter((s) => s.kind === KIND.server)) {
    assert.equal(
      typeof server.attributes['http.route'],
      'string',
      `${service(server)} ${server.name} has http.route`,
    );
  }

  const under = (name: string, owner: string, route: string) => {
    const span = spans.find((s) => s.name === name);
    assert.ok(span, `${name} present`);
    const server = ancestors(span, spans).find((a) => a.kind === KIND.server);
    assert.equal(server && service(server), owner, `${name} is in ${owner}`);
    assert.equal(server?.attributes['http.route'], route, `${name} is under ${route}`);
    return span;
  };
  const command = spans.find((s) => s.name === 'apollo.command');
  assert.equal(command?.attributes['command.type'], 'plan');
  assert.equal(command?.attributes['command.success'], true);
  for (const name of ['apollo.api.sophia', 'apollo.api.hermes']) {
    assert.ok(
      ancestors(spans.find((s) => s.name === name) as ReceivedSpan, spans).includes(command as ReceivedSpan),
    );
  }
  const plan = under('sophia.plan', 'sophia', '/plan');
  assert.equal(plan.attributes['plan.goal'], goal);
  assert.equal(typeof plan.attributes['plan.step_count'], 'number');
  const simulate = under('sophia.simulate', 'sophia', '/plan');
  assert.equal(typeof simulate.attributes['simulation.k_steps'], 'number');
  assert.equal(typeof simulate.attributes['simulation.confidence'], 'number');
  for (const name of ['sophia.state.read', 'sophia.state.write', 'sophia.hcg.read', 'sophia.hcg.write']) {
    under(name, 'sophia', '/plan');
  }
  const embed = under('hermes.embed', 'hermes', '/embed');
  assert.equal(embed.attributes['embedding.dimension'], 64);
  assert.equal(typeof embed.attributes['embedding.model'], 'string');
  const milvus = under('hermes.milvus', 'hermes', '/embed');
  assert.equal(milvus.attributes['milvus.collection'], 'concepts');
  assert.equal(typeof milvus.attributes['milvus.result_count'], 'number');
  const llm = under('hermes.llm', 'hermes', '/llm');
  assert.equal(llm.attributes['llm.provider'], 'local-stand-in');
  assert.equal(typeof llm.attributes['llm.usage.prompt_tokens'], 'number');
  assert.equal(typeof llm.attributes['llm.usage.completion_tokens'], 'number');
  assert.ok(spans.some((s) => s.name === 'hermes.nlp'));
});

test('metrics arrive from all three services', async () => {
  const services = () => new Set(r.metrics.map((m) => String(m.resource['service.name'])));
  const timed = (name: string) =>
    r.metrics.some((m) => m.name === 'http.server.request.duration' && m.resource['service.name'] === name);
  // Wait for what is asserted: the first exports of a service may precede its HTTP histogram.
  await r.waitFor(
    () =>
      ['apollo', 'sophia', 'hermes'].every((name) => services().has(name)) &&
      timed('sophia') &&
      timed('hermes'),
    15_000,
  );
  const serverDurations = r.metrics
    .filter((m) => m.name === 'http.server.request.duration')
    .map((m) => m.resource['service.name']);
  assert.ok(serverDurations.includes('sophia') && serverDurations.includes('hermes'));
});

test('a failure in Hermes is an error from Hermes up to Apollo, in the same trace', async () => {
  const goal = 'weigh the samples [fail-hermes]';
  const run = await stack.runApollo(['plan', goal]);
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /hermes/);
  const spans = await traceOf(goal);
  const failed = spans.filter((s) => s.status.code === 2);
  const failedIn = new Set(failed.map(service));
  assert.deepEqual(failedIn, new Set(['hermes', 'sophia', 'apollo']));
  const hermesError = failed.find((s) => service(s) === 'hermes' && s.name.startsWith('hermes.'));
  assert.ok(hermesError, 'the failing Hermes operation span is an error');
  const exception = hermesError.events.find((e) => e.name === 'exception');
  assert.match(String(exception?.attributes['exception.message']), /refused/);
  assert.equal(spans.find((s) => s.name === 'apollo.command')?.status.code, 2);
  assert.equal(spans.find((s) => s.name === 'apollo.command')?.attributes['command.success'], false);
  assert.equal(spans.find((s) => s.name === 'sophia.plan')?.status.code, 2);
  const sophiaServer = spans.find((s) => service(s) === 'sophia' && s.kind === KIND.server);
  assert.equal(sophiaServer?.attributes['http.response.status_code'], 502);
});
