// The release artifact works where it is installed: packs this package (the dist/ that `npm test`
// just built), installs the tarball into a fresh project with npm's isolated layout and into another
// with pnpm's (hoist=false; in both only declared dependencies are reachable), traces an ESM, a
// CommonJS (-r) and a tsx Express app there (the ESM one under pnpm), and type-checks a TypeScript
// service against the package's types alone. .ci/run also runs it on Node 22.15, the floor;
// LOGOS_OTEL_TEST_NODE picks the apps' Node.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Child, portOf, startChild, supervise } from '../helpers/child-process.js';
import { exportTo, KIND, type Receiver, receiver, waitForSpan } from '../helpers/otlp.js';
import { FIXTURES, ROOT } from '../helpers/run-fixture.js';

const run = promisify(execFile);
const NODE = process.env.LOGOS_OTEL_TEST_NODE ?? process.execPath;
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
const APPS = ['esm-app.mjs', 'cjs-app.cjs', 'ts-app.ts', 'types-app.ts'];
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// The versions the repo's lock file pins, so npm finds them in its cache.
const INSTALL = ['express@5.3.0', 'tsx@4.23.15'];
// The repo's pnpm devDependency, run on NODE.
const PNPM = join(ROOT, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
const CONSUMER = '{ "name": "consumer", "private": true, "type": "module" }\n';

let work: string;
let npmProject: string;
let pnpmProject: string;
let installOutput = '';
let r: Receiver;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'register.js')), 'dist/ is built (npm run build)');
  work = mkdtempSync(join(tmpdir(), 'logos-otel-packed-'));
  const tarball = await pack(work);
  npmProject = consumer('npm');
  pnpmProject = consumer('pnpm');
  const [npm] = await Promise.all([npmInstall(npmProject, tarball), pnpmInstall(pnpmProject, tarball)]);
  installOutput = npm;
  r = await receiver();
});

after(async () => {
  await r?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Packs this checkout into `dir`; returns the tarball's path. */
async function pack(dir: string): Promise<string> {
  // --ignore-scripts: pack the dist/ already built, not rebuild it under the other tests' feet.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return join(dir, filename);
}

/** A fresh consumer project under `work`, holding the apps. */
function consumer(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), CONSUMER);
  for (const app of APPS) copyFileSync(join(FIXTURES, 'packed-install', app), join(dir, app));
  return dir;
}

/** `npm install --install-strategy=linked`; returns what npm printed. */
async function npmInstall(dir: string, tarball: string): Promise<string> {
  const install = ['install', tarball, ...INSTALL, '--install-strategy=linked'];
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'];
  const installed = await run('npm', [...install, ...flags], { cwd: dir, timeout: 120_000 });
  return installed.stdout + installed.stderr;
}

/** `pnpm add` with the isolated linker and nothing hoisted, its store in `work`; fails on any output. */
async function pnpmInstall(dir: string, tarball: string): Promise<void> {
  // pnpm fails an install that skips a dependency's build script it was not told about; protobufjs's
  // postinstall only warns about its dependents' version ranges, so it is declined (as package.json's
  // allowScripts does).
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'allowBuilds:\n  protobufjs: false\n');
  const add = ['add', tarball, 'express@5.3.0', '--config.hoist=false', '--config.node-linker=isolated'];
  const flags = ['--store-dir', join(work, 'pnpm-store'), '--prefer-offline', '--loglevel=warn'];
  const installed = await run(NODE, [PNPM, ...add, ...flags], { cwd: dir, timeout: 120_000 });
  assert.equal(installed.stdout + installed.stderr, '', 'pnpm installs quietly');
}

/** Starts `args` on NODE in the consumer project `cwd`, with only PATH, HOME and `env`; killed after 20 s. */
function start(cwd: string, args: readonly string[], env: Record<string, string>): Child {
  return startChild({ command: NODE, args, cwd, env, timeoutMs: 20_000 });
}

/** Runs the app in `cwd`, calls GET /users/7 and checks the Express server span it exported. */
async function serverSpanOf(
  cwd: string,
  service: string,
  args: readonly string[],
  env: Record<string, string> = {},
) {
  const app = start(cwd, args, { ...exportTo(r, service), ...env });
  return await supervise(app, async () => {
    const res = await fetch(`http://127.0.0.1:${await portOf(app)}/users/7`);
    assert.equal(res.status, 200);
    const span = await waitForSpan(r, service, (s) => s.kind === KIND.server);
    assert.equal(span.attributes['http.route'], '/users/:id', 'the express instrumentation named the route');
    assert.equal(span.attributes['url.path'], '/users/7');
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.doesNotMatch(app.output(), /could not be loaded/);
    return span;
  });
}

test('the tarball holds the LICENSE, and installing it warns about no script of ours', () => {
  const installedPackage = join(npmProject, 'node_modules', '@logos', 'otel');
  assert.ok(existsSync(join(installedPackage, 'LICENSE')));
  assert.ok(!existsSync(join(installedPackage, 'scripts')), 'the build scripts are not shipped');
  // npm 11 lists the packages whose install-time scripts it has not been allowed to run.
  assert.doesNotMatch(installOutput, /install-scripts\s+@logos\/otel/, installOutput);
});

test('a TypeScript service type-checks against @logos/otel with no @opentelemetry package installed', async () => {
  // Resolved as the package itself would: no @opentelemetry package beside it in the isolated layout.
  const fromPackage = createRequire(join(npmProject, 'node_modules', '@logos', 'otel', 'package.json'));
  for (const name of ['@opentelemetry/api', '@opentelemetry/sdk-trace']) {
    assert.throws(() => fromPackage.resolve(`${name}/package.json`), `${name} is not installed`);
  }
  assert.ok(!existsSync(join(npmProject, 'node_modules', '@opentelemetry')));
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
    await run(process.execPath, [TSC, ...args], { cwd: npmProject, timeout: 60_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.fail(`tsc found errors in types-app.ts:\n${stdout}${stderr}`);
  }
});

describe(`the packed tarball, installed isolated by npm, on Node ${NODE_VERSION}`, {
  concurrency: true,
}, () => {
  test('node --import @logos/otel/register esm-app.mjs', async () => {
    await serverSpanOf(npmProject, 'packed-esm', ['--import', '@logos/otel/register', 'esm-app.mjs']);
  });

  test('node -r @logos/otel/register cjs-app.cjs', async () => {
    await serverSpanOf(npmProject, 'packed-cjs', ['-r', '@logos/otel/register', 'cjs-app.cjs']);
  });

  test('NODE_OPTIONS="--import @logos/otel/register" tsx ts-app.ts, with a withSpan span inside', async () => {
    const service = 'packed-tsx';
    const server = await serverSpanOf(
      npmProject,
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

describe(`the packed tarball, installed by pnpm with hoist=false, on Node ${NODE_VERSION}`, () => {
  test('node --import @logos/otel/register esm-app.mjs', async () => {
    // hoist=false took: no node_modules/.pnpm/node_modules for undeclared packages to resolve from.
    assert.ok(!existsSync(join(pnpmProject, 'node_modules', '.pnpm', 'node_modules')), 'nothing is hoisted');
    await serverSpanOf(pnpmProject, 'pnpm-esm', ['--import', '@logos/otel/register', 'esm-app.mjs']);
  });
});
