// The release artifact works where it is installed: packs this package (the dist/ that `npm test`
// just built), installs the tarball into a fresh project with npm's isolated layout (like pnpm:
// only declared dependencies are reachable), traces an ESM, a CommonJS (-r) and a tsx Express app
// there, and type-checks a TypeScript service against the package's types alone. .ci/run also runs
// it on Node 22.15, the floor; LOGOS_OTEL_TEST_NODE picks the apps' Node.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { exportTo, KIND, type Receiver, receiver, waitForSpan } from '../helpers/otlp.js';
import { FIXTURES, ROOT } from '../helpers/run-fixture.js';

const run = promisify(execFile);
const NODE = process.env.LOGOS_OTEL_TEST_NODE ?? process.execPath;
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
const APPS = ['esm-app.mjs', 'cjs-app.cjs', 'ts-app.ts', 'types-app.ts'];
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// The versions the repo's lock file pins, so npm finds them in its cache.
const INSTALL = ['express@5.3.0', 'tsx@4.23.15'];

let project: string;
let installOutput = '';
let r: Receiver;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'register.js')), 'dist/ is built (npm run build)');
  project = mkdtempSync(join(tmpdir(), 'logos-otel-packed-'));
  // --ignore-scripts: pack the dist/ already built, not rebuild it under the other tests' feet.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], {
    cwd: ROOT,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  const install = ['install', join(project, filename), ...INSTALL, '--install-strategy=linked'];
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'];
  const installed = await run('npm', [...install, ...flags], { cwd: project, timeout: 120_000 });
  installOutput = installed.stdout + installed.stderr;
  for (const app of APPS) copyFileSync(join(FIXTURES, 'packed-install', app), join(project, app));
  r = await receiver();
});

after(async () => {
  await r?.close();
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

interface App {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly port: Promise<number>;
}

/** Starts `args` on NODE in the consumer project, with only PATH, HOME and `env`; killed after 20 s. */
function start(args: readonly string[], env: Record<string, string>): App {
  const child = spawn(NODE, args, {
    cwd: project,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  child.once('exit', () => clearTimeout(killer));
  const port = new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', () => reject(new Error(`the app exited before listening\n${stderr}`)));
  });
  port.catch(() => undefined);
  return { child, port, output: () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}` };
}

/** Runs the app, calls GET /users/7 and checks the Express server span it exported. */
async function serverSpanOf(service: string, args: readonly string[], env: Record<string, string> = {}) {
  const app = start(args, { ...exportTo(r, service), ...env });
  try {
    const res = await fetch(`http://127.0.0.1:${await app.port}/users/7`);
    assert.equal(res.status, 200);
    const span = await waitForSpan(r, service, (s) => s.kind === KIND.server);
    assert.equal(span.attributes['http.route'], '/users/:id', 'the express instrumentation named the route');
    assert.equal(span.attributes['url.path'], '/users/7');
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.doesNotMatch(app.output(), /could not be loaded/);
    return span;
  } catch (error) {
    console.error(app.output());
    throw error;
  } finally {
    app.child.kill('SIGTERM');
    if (app.child.exitCode === null && app.child.signalCode === null) await once(app.child, 'exit');
  }
}

test('the tarball holds the LICENSE, and installing it warns about no script of ours', () => {
  const installedPackage = join(project, 'node_modules', '@logos', 'otel');
  assert.ok(existsSync(join(installedPackage, 'LICENSE')));
  assert.ok(!existsSync(join(installedPackage, 'scripts')), 'the build scripts are not shipped');
  // npm 11 lists the packages whose install-time scripts it has not been allowed to run.
  assert.doesNotMatch(installOutput, /install-scripts\s+@logos\/otel/, installOutput);
});

test('a TypeScript service type-checks against @logos/otel with no @opentelemetry package installed', async () => {
  // Resolved as the package itself would: no @opentelemetry package beside it in the isolated layout.
  const fromPackage = createRequire(join(project, 'node_modules', '@logos', 'otel', 'package.json'));
  for (const name of ['@opentelemetry/api', '@opentelemetry/sdk-trace']) {
    assert.throws(() => fromPackage.resolve(`${name}/package.json`), `${name} is not installed`);
  }
  assert.ok(!existsSync(join(project, 'node_modules', '@opentelemetry')));
  const args = [
    '--noEmit',
    '--strict',
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    'types-app.ts',
  ];
  try {
    await run(process.execPath, [TSC, ...args], { cwd: project, timeout: 60_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`tsc found errors in types-app.ts:\n${stdout}${stderr}`);
  }
});

describe(`the packed tarball, installed isolated, on Node ${NODE_VERSION}`, {
  concurrency: true,
}, () => {
  test('node --import @logos/otel/register esm-app.mjs', async () => {
    await serverSpanOf('packed-esm', ['--import', '@logos/otel/register', 'esm-app.mjs']);
  });

  test('node -r @logos/otel/register cjs-app.cjs', async () => {
    await serverSpanOf('packed-cjs', ['-r', '@logos/otel/register', 'cjs-app.cjs']);
  });

  test('NODE_OPTIONS="--import @logos/otel/register" tsx ts-app.ts, with a withSpan span inside', async () => {
    const service = 'packed-tsx';
    const server = await serverSpanOf(
      service,
      [join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'ts-app.ts'],
      {
        NODE_OPTIONS: '--import @logos/otel/register',
      },
    );
    const manual = await waitForSpan(r, service, (s) => s.name === 'users.lookup');
    assert.equal(manual.traceId, server.traceId);
    assert.equal(manual.attributes['user.id'], '7');
  });
});
