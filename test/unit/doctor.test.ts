// The doctor's pure parts: the Node floor it reports agrees with the register and package.json,
// secrets are redacted in shown values, and register flags are found in NODE_OPTIONS.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { shownValue } from '../../src/doctor/config.js';
import {
  NODE_FLOOR,
  nodeSupported,
  otherPreloads,
  registerFlag,
  splitNodeOptions,
} from '../../src/doctor/loading.js';
import { endpointAddress } from '../../src/doctor/probe.js';

const ROOT = join(import.meta.dirname, '..', '..');

test("the doctor's Node floor is the register's and package.json's engines", () => {
  const engines = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
  ).engines.node;
  assert.equal(engines, `>=${NODE_FLOOR.join('.')}.0`);
  assert.equal(nodeSupported('22.15.0'), true);
  assert.equal(nodeSupported('22.14.9'), false);
  assert.equal(nodeSupported('20.20.2'), false);
  assert.equal(nodeSupported('24.0.0'), true);
});

test('shown values never hold header values or URL credentials', () => {
  assert.equal(
    shownValue('OTEL_EXPORTER_OTLP_HEADERS', 'authorization=Bearer x,api-key=y', 'pairs'),
    'authorization=[REDACTED],api-key=[REDACTED]',
  );
  assert.equal(shownValue('OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'Bearer raw', 'pairs'), '[REDACTED]');
  assert.equal(
    shownValue('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://u:p@c:4317', 'url'),
    'http://[REDACTED]@c:4317/',
  );
  assert.equal(shownValue('OTEL_EXPORTER_OTLP_ENDPOINT', 'u:p@c:4317', 'url'), '[REDACTED]');
  assert.equal(shownValue('OTEL_SERVICE_NAME', ' shop ', 'text'), 'shop');
});

test('register flags and other preloads are found in NODE_OPTIONS', () => {
  assert.equal(registerFlag(splitNodeOptions('--import @logos/otel/register')), '--import');
  assert.equal(registerFlag(splitNodeOptions('--import=@logos/otel/register')), '--import');
  assert.equal(registerFlag(splitNodeOptions('-r @logos/otel/register')), '-r');
  assert.equal(
    registerFlag(splitNodeOptions('--require "/a b/node_modules/@logos/otel/dist/register.cjs"')),
    '-r',
  );
  assert.equal(registerFlag(splitNodeOptions('--max-old-space-size=100')), undefined);
  assert.deepEqual(
    otherPreloads(splitNodeOptions('-r ts-node/register -r @logos/otel/register --require=x.cjs')),
    ['ts-node/register', 'x.cjs'],
  );
});

test('the doctor probes the port the exporter dials: 443 for a gRPC endpoint without one', () => {
  assert.deepEqual(endpointAddress('http://collector', 'grpc'), { host: 'collector', port: 443 });
  assert.deepEqual(endpointAddress('http://collector', 'http/protobuf'), { host: 'collector', port: 80 });
  assert.deepEqual(endpointAddress('https://collector', 'http/json'), { host: 'collector', port: 443 });
  assert.deepEqual(endpointAddress('http://[::1]:4317', 'grpc'), { host: '::1', port: 4317 });
});
