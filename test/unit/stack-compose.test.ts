// docker-compose.otel.yml, parsed: the design's ports are published, images are pinned, every
// long-running service has a health check and a restart policy, one named network, no host path
// outside the repo, and the two stacks (default and the `tempo` profile) hold the right services.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/run-fixture.js';
import { compose, type Doc, parsePort } from '../helpers/stack-files.js';

const file = compose();
const services: Record<string, Doc> = file.services;
const ONE_SHOT = new Set(['collector-healthcheck-tools']);
const longRunning = Object.keys(services).filter((name) => !ONE_SHOT.has(name));

/** The ports the design (shared/seed) and the issue list, by the service that must publish them. */
const DESIGN_PORTS: Record<string, number[]> = {
  'otel-collector': [4317, 4318, 8888, 8889, 13133],
  jaeger: [16686, 14268],
  prometheus: [9090],
  tempo: [3200],
  grafana: [3001],
};

/** The design's pins: a newer exact version would be fine, a floating one is not. */
const DESIGN_IMAGES: Record<string, RegExp> = {
  'otel-collector': /^otel\/opentelemetry-collector-contrib:0\.91\.0$/,
  jaeger: /^jaegertracing\/all-in-one:1\.53\.\d+$/,
  prometheus: /^prom\/prometheus:v2\.48\.1$/,
};

test('every port the design lists is published on the host by the service it belongs to', () => {
  for (const [name, ports] of Object.entries(DESIGN_PORTS)) {
    assert.ok(services[name], `service ${name} is missing`);
    const published = (services[name].ports ?? []).map((p: unknown) => parsePort(p).host);
    for (const port of ports) assert.ok(published.includes(port), `${name} does not publish ${port}`);
  }
  const all = Object.values(services).flatMap((s) => (s.ports ?? []).map((p: unknown) => parsePort(p).host));
  assert.equal(new Set(all).size, all.length, `a host port is published twice: ${all.join(', ')}`);
});

test('every image is pinned to an exact version, the design pins included', () => {
  for (const [name, service] of Object.entries(services)) {
    assert.match(service.image, /^[\w./-]+:v?\d+\.\d+\.\d+(-[a-z0-9]+)?$/, `${name}: ${service.image}`);
    if (DESIGN_IMAGES[name]) assert.match(service.image, DESIGN_IMAGES[name], name);
  }
});

test('long-running services have a health check and a restart policy; the one-shot service neither restarts', () => {
  for (const name of longRunning) {
    const { healthcheck, restart } = services[name];
    assert.ok(Array.isArray(healthcheck?.test) && healthcheck.test[0] === 'CMD', `${name}: healthcheck`);
    assert.ok(
      healthcheck.interval && healthcheck.timeout && healthcheck.retries,
      `${name}: healthcheck timing`,
    );
    assert.ok(['unless-stopped', 'always'].includes(restart), `${name}: restart ${restart}`);
  }
  for (const name of ONE_SHOT) assert.equal(services[name]?.restart, 'no');
});

test("health checks probe a port the service listens on; the collector's runs the copied busybox", () => {
  for (const name of longRunning) {
    const url = services[name].healthcheck.test.find((arg: string) => arg.startsWith('http://'));
    assert.ok(url, `${name}: no URL in ${services[name].healthcheck.test}`);
    const { port } = new URL(url);
    const ports = [...(services[name].ports ?? []), ...(services[name].expose ?? [])].map(
      (p: unknown) => parsePort(p).container,
    );
    assert.ok(ports.includes(Number(port)), `${name}: checks port ${port}, listens on ${ports}`);
  }
  // The collector image is FROM scratch: its check runs the busybox the one-shot service copies.
  const collector = services['otel-collector'];
  assert.equal(collector.healthcheck.test[1], '/tools/busybox');
  assert.ok(collector.volumes.includes('collector-healthcheck-tools:/tools:ro'));
  assert.deepEqual(collector.depends_on['collector-healthcheck-tools'], {
    condition: 'service_completed_successfully',
  });
  assert.deepEqual(services['collector-healthcheck-tools'].command, ['cp', '/bin/busybox', '/tools/busybox']);
});

test('one named network, and every service is on it', () => {
  const networks = Object.keys(file.networks ?? {});
  assert.deepEqual(networks, ['logos-observability-net']);
  assert.equal(file.networks['logos-observability-net'].name, 'logos-observability-net');
  for (const [name, service] of Object.entries(services)) assert.deepEqual(service.networks, networks, name);
});

test('bind mounts come from inside the repo and exist; other volumes are declared named volumes', () => {
  const named = new Set(Object.keys(file.volumes ?? {}));
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      assert.equal(typeof volume, 'string', `${name}: use the short volume syntax`);
      const [source] = (volume as string).split(':') as [string];
      if (source.startsWith('.')) {
        const inRepo = relative(ROOT, resolve(ROOT, source));
        assert.ok(!inRepo.startsWith('..'), `${name}: ${source} is outside the repo`);
        assert.ok(existsSync(resolve(ROOT, source)), `${name}: ${source} does not exist`);
      } else {
        assert.ok(!/^[/~$]/.test(source), `${name}: host path ${source}`);
        assert.ok(named.has(source), `${name}: volume ${source} is not declared`);
      }
    }
  }
});

test('the default stack is the collector, Jaeger and Prometheus; the tempo profile adds Tempo and Grafana', () => {
  const byProfile = (profile: string | undefined) =>
    Object.entries(services)
      .filter(([, s]) => (profile === undefined ? !s.profiles : s.profiles?.includes(profile)))
      .map(([name]) => name)
      .sort();
  assert.deepEqual(byProfile(undefined), [
    'collector-healthcheck-tools',
    'jaeger',
    'otel-collector',
    'prometheus',
  ]);
  assert.deepEqual(byProfile('tempo'), ['grafana', 'tempo']);
});

test('depends_on names existing services; service_healthy only on services with a health check', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries<{ condition: string }>(
      service.depends_on ?? {},
    )) {
      assert.ok(services[dependency], `${name} depends on unknown ${dependency}`);
      if (condition === 'service_healthy')
        assert.ok(services[dependency].healthcheck, `${dependency}: no healthcheck`);
      // A default-stack service must not wait for a profile-only one (it would never start).
      if (!service.profiles) assert.ok(!services[dependency].profiles, `${name} waits for ${dependency}`);
    }
  }
});

test('the collector reads the config of the selected stack: COMPOSE_PROFILES picks the mounted file', () => {
  const collector = services['otel-collector'];
  const [flag] = collector.command as [string];
  const mounts = new Map<string, string>(
    collector.volumes.map((v: string) => v.split(':')).map(([from, to]: string[]) => [to, from]),
  );
  // Compose interpolation of the one variable the command uses, as written in the file.
  const variable = '$' + '{COMPOSE_PROFILES:-jaeger}';
  const resolveWith = (profiles: string) => flag.replace(variable, profiles || 'jaeger');
  assert.notEqual(resolveWith(''), flag, `the command does not use COMPOSE_PROFILES: ${flag}`);
  const expected: [string, string][] = [
    ['', './infra/otel-collector-config.yaml'],
    ['tempo', './infra/otel-collector-config.tempo.yaml'],
  ];
  for (const [profiles, source] of expected) {
    const path = resolveWith(profiles).replace(/^--config=/, '');
    assert.equal(mounts.get(path), source, `COMPOSE_PROFILES=${profiles}: ${path}`);
  }
});
