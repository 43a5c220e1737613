import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { type DataPoint, type Histogram, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { Instrumentation } from '../../src/instrumentations/undici.js';
import { internAttributes } from '../../src/metrics/interned-attributes.js';

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The client duration points (attributes and count) after `requests` through `instrumentation`. */
async function points(
  instrumentation: UndiciInstrumentation,
  requests: (base: string) => Promise<void>,
): Promise<{ attributes: object; count: number }[]> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const reader = new ManualReader();
  const provider = new MeterProvider({ readers: [reader] });
  instrumentation.setMeterProvider(provider);
  instrumentation.enable();
  try {
    await requests(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    instrumentation.disable();
    server.close();
  }
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === 'http.client.request.duration');
  await provider.shutdown();
  return ((metric?.dataPoints ?? []) as DataPoint<Histogram>[])
    .map((point) => ({ attributes: point.attributes, count: point.value.count }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const REQUESTS = async (base: string): Promise<void> => {
  for (const path of ['/a', '/b?x=1', '/missing', '/a']) await (await fetch(`${base}${path}`)).text();
  await (await fetch(`${base}/a`, { method: 'POST', body: 'x' })).text();
  await fetch('http://127.0.0.1:1/refused').catch(() => undefined);
};

test('the client duration histogram records the same series as upstream, with interned attribute sets', async () => {
  const upstream = await points(new UndiciInstrumentation(), REQUESTS);
  const ours = await points(new Instrumentation(), REQUESTS);
  // Ports differ between the two runs' servers: compare with them masked.
  const mask = (list: { attributes: object; count: number }[]) =>
    JSON.parse(JSON.stringify(list).replace(/"server.port":\d+/g, '"server.port":0'));
  assert.deepEqual(mask(ours), mask(upstream));
  assert.equal(upstream.length, 3, JSON.stringify(upstream));
});

test('an interned set is frozen, equal to what it was given, and the same object for the same values', () => {
  const a = internAttributes({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
  const b = internAttributes({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
  assert.deepEqual(a, { 'http.request.method': 'GET', 'http.response.status_code': 200 });
  assert.notEqual(
    internAttributes({ 'http.response.status_code': '200' }),
    internAttributes({ 'http.response.status_code': 200 }),
  );
  assert.notEqual(internAttributes({ 'error.type': undefined }), internAttributes({}));
  const withList = { list: ['a'] };
  assert.equal(internAttributes(withList), withList, 'a set with an array is passed as it is');
});
