// Launchers start no agent: `npm start` and `node --test` run the app in a child process, which gets
// NODE_OPTIONS (or the runner's node flags) and reports alone under the service's name, while the
// launcher's own process exports nothing. Fixture: http-service.mjs, as a project's start script.
import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportTo, KIND, type Receiver, receiver, spansOf, waitForSpan } from '../helpers/otlp.js';
import {
  FIXTURES,
  type FixtureOptions,
  portOf,
  REGISTER,
  ROOT,
  startFixture,
  supervise,
} from '../helpers/run-fixture.js';

/**
 * npm's CLI script: the npm running this test, else the one on PATH. Run here with this test's
 * Node, as the npm on PATH may run on a Node the agent does not start on.
 */
function npmCli(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'npm'));
  for (const candidate of [process.env.npm_execpath, ...onPath]) {
    if (candidate === undefined || !existsSync(candidate)) continue;
    const path = realpathSync(candidate);
    if (path.endsWith('npm-cli.js')) return path;
  }
  return undefined;
}
const NPM = npmCli();

let r: Receiver;
/** A project with @logos/otel installed (a link to this repo) whose start script runs the app. */
let project: string;
before(async () => {
  r = await receiver();
  project = await mkdtemp(join(tmpdir(), 'logos-otel-npm-'));
  await mkdir(join(project, 'node_modules', '@logos'), { recursive: true });
  await symlink(ROOT, join(project, 'node_modules', '@logos', 'otel'), 'dir');
  const scripts = { start: `node ${JSON.stringify(join(FIXTURES, 'http-service.mjs'))}` };
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts }));
});
after(async () => {
  await r.close();
  await rm(project, { recursive: true, force: true });
});

/**
 * Starts `launcher`, which starts http-service.mjs; checks that spans and metrics arrive from the
 * app's process only, never from the launcher's, until the launcher has exited.
 */
async function onlyTheAppReports(service: string, launcher: FixtureOptions): Promise<void> {
  const run = startFixture({
    register: false,
    ...launcher,
    env: { ...exportTo(r, service), ...launcher.env },
    timeoutMs: 30_000,
  });
  let appPid: number | undefined;
  try {
    await supervise(
      run,
      async () => {
        const port = await portOf(run);
        const metrics = () => r.metrics.filter((m) => m.resource['service.name'] === service);
        // With no span yet, the app's metrics SDK loads 1 s after the app starts; an agent started
        // earlier in the launcher has loaded its own by then and exports one interval later.
        await r.waitFor(() => metrics().length > 0, 10_000);
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/hello`)).text(), 'hello ');
        const server = await waitForSpan(r, service, (s) => s.kind === KIND.server);
        appPid = server.resource['process.pid'] as number;
        assert.notEqual(appPid, run.child.pid, 'the span comes from the app, not the launcher');
        // The request's metrics come one export interval after the launcher's first one would have.
        await r.waitFor(() => metrics().some((m) => m.name === 'http.server.request.duration'), 10_000);
        // The app ends as a deployment stops it (npm's shell passes no signal on); the launcher ends
        // with it, and an agent in it would flush at its exit.
        process.kill(appPid, 'SIGTERM');
        await run.exited;
        const pids = new Set([...spansOf(r, service), ...metrics()].map((x) => x.resource['process.pid']));
        assert.deepEqual([...pids], [appPid], `the launcher is pid ${run.child.pid}`);
      },
      { stop: 'SIGKILL' },
    );
  } finally {
    // The app is the launcher's child: the launcher's end does not end it.
    if (appPid !== undefined) {
      try {
        process.kill(appPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

describe('launchers start no agent', { concurrency: true }, () => {
  const npmEnv = (nodeOptions: string) => ({
    NODE_OPTIONS: nodeOptions,
    // The scripts' `node` is this Node; npm writes nothing to HOME and asks the registry nothing.
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: join(project, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_logs_max: '0',
  });

  for (const entry of [`--import ${REGISTER}`, `-r ${REGISTER}`]) {
    test(`NODE_OPTIONS="${entry}" npm start`, { skip: NPM ? false : 'no npm CLI found' }, async () => {
      await onlyTheAppReports(`npm-start${entry.startsWith('-r') ? '-r' : ''}`, {
        script: NPM as string,
        args: ['--prefix', project, 'start'],
        env: npmEnv(entry),
      });
    });
  }

  // The runner loads -r preloads in its own process too (not --import ones) and passes its node
  // flags and environment on to the test files' processes.
  test('node -r @logos/otel/register --test app', async () => {
    await onlyTheAppReports('node-test-flag', {
      script: 'http-service.mjs',
      nodeArgs: ['-r', REGISTER, '--test', '--test-reporter=spec'],
    });
  });

  test('NODE_OPTIONS="-r @logos/otel/register" node --test app', async () => {
    await onlyTheAppReports('node-test-node-options', {
      script: 'http-service.mjs',
      nodeArgs: ['--test', '--test-reporter=spec'],
      env: { NODE_OPTIONS: `-r ${REGISTER}` },
    });
  });
});
