// launcherOf: the launchers' entry scripts as they lie on real machines (global installs, version
// managers, corepack's cache and shims, Yarn releases, Windows), through symlinks, and apps that are
// not launchers; node --test's runner by its flags; withFlag's NODE_OPTIONS.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { launcherOf, withFlag } from '../../src/boot/launcher.js';

const LAUNCHERS: Readonly<Record<string, readonly string[]>> = {
  tsx: [
    '/srv/app/node_modules/tsx/dist/cli.mjs',
    '/srv/app/node_modules/.pnpm/tsx@4.23.15/node_modules/tsx/dist/cli.mjs',
    'C:\\srv\\app\\node_modules\\tsx\\dist\\cli.mjs',
  ],
  npm: [
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npx-cli.js',
    '/home/dev/.nvm/versions/node/v22.15.0/lib/node_modules/npm/bin/npm-cli.js',
    '/opt/homebrew/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-prefix.js',
    '/home/dev/.cache/node/corepack/v1/npm/10.9.2/bin/npm-cli.js',
    'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js',
    'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js',
  ],
  pnpm: [
    '/usr/local/lib/node_modules/pnpm/bin/pnpm.cjs',
    '/usr/local/lib/node_modules/pnpm/bin/pnpx.cjs',
    '/srv/app/node_modules/pnpm/bin/pnpm.cjs',
    '/home/dev/.cache/node/corepack/v1/pnpm/9.15.0/bin/pnpm.cjs',
    '/home/dev/.local/share/pnpm/.tools/pnpm/8.15.9/node_modules/pnpm/bin/pnpm.cjs',
    'C:\\Users\\dev\\AppData\\Local\\node\\corepack\\v1\\pnpm\\10.0.0\\bin\\pnpm.cjs',
  ],
  yarn: [
    '/usr/local/lib/node_modules/yarn/bin/yarn.js',
    '/usr/share/yarn/bin/yarn.js',
    '/home/dev/.cache/node/corepack/v1/yarn/1.22.22/bin/yarn.js',
    '/home/dev/.cache/node/corepack/v1/yarn/4.5.3/yarn.js',
    '/srv/app/node_modules/@yarnpkg/cli-dist/bin/yarn.js',
    '/srv/app/.yarn/releases/yarn-4.5.3.cjs',
    '/srv/app/.yarn/releases/yarn-berry.cjs',
    'C:\\srv\\app\\.yarn\\releases\\yarn-3.8.7.cjs',
    'C:\\Users\\dev\\AppData\\Local\\node\\corepack\\v1\\yarn\\4.5.3\\yarn.js',
  ],
  corepack: [
    '/usr/lib/node_modules/corepack/dist/corepack.js',
    // What the shims (corepack/shims/pnpm...) and `corepack enable`'s links run.
    '/usr/lib/node_modules/corepack/dist/pnpm.js',
    '/usr/lib/node_modules/corepack/dist/pnpx.js',
    '/usr/lib/node_modules/corepack/dist/yarn.js',
    '/usr/lib/node_modules/corepack/dist/yarnpkg.js',
    '/usr/local/lib/node_modules/corepack/dist/npm.js',
    '/usr/local/lib/node_modules/corepack/dist/npx.js',
    'C:\\Program Files\\nodejs\\node_modules\\corepack\\dist\\pnpm.js',
  ],
};

const APPS = [
  '/srv/app/server.js',
  '/srv/app/dist/index.js',
  '/srv/app/bin/www',
  '/srv/app/bin/cli.js',
  '/srv/app/node_modules/.bin/next',
  '/srv/app/node_modules/next/dist/bin/next',
  '/srv/npm/index.js',
  '/srv/yarn/src/yarn.js',
  '/srv/pnpm-tools/lib/pnpm.js',
  '/srv/app/src/corepack.js',
  '/srv/app/node_modules/tsx-app/dist/main.mjs',
  'C:\\srv\\app\\server.js',
];

describe('launcherOf: entry scripts', () => {
  for (const [launcher, paths] of Object.entries(LAUNCHERS)) {
    for (const path of paths) {
      test(`${path} is ${launcher}`, () => {
        assert.equal(launcherOf(path, []), launcher);
      });
    }
  }
  for (const path of APPS) {
    test(`${path} is the app`, () => {
      assert.equal(launcherOf(path, []), undefined);
    });
  }
  test('no entry script (node -e, node -p, stdin) is the app', () => {
    assert.equal(launcherOf(undefined, []), undefined);
  });
});

describe('launcherOf: links are followed', () => {
  const root = mkdtempSync(join(tmpdir(), 'launcher-test-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string): string => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '');
    return full;
  };
  const link = (path: string, target: string): string => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(target, full);
    return full;
  };

  test('/usr/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js', () => {
    file('usr/lib/node_modules/npm/bin/npm-cli.js');
    assert.equal(launcherOf(link('usr/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js'), []), 'npm');
  });

  test('a corepack-enabled pnpm: /usr/local/bin/pnpm -> corepack/dist/pnpm.js', () => {
    file('usr/local/lib/node_modules/corepack/dist/pnpm.js');
    const pnpm = link('usr/local/bin/pnpm', '../lib/node_modules/corepack/dist/pnpm.js');
    assert.equal(launcherOf(pnpm, []), 'corepack');
  });

  test('node_modules/.bin/tsx -> ../tsx/dist/cli.mjs', () => {
    file('app/node_modules/tsx/dist/cli.mjs');
    assert.equal(launcherOf(link('app/node_modules/.bin/tsx', '../tsx/dist/cli.mjs'), []), 'tsx');
  });

  test('a link named like a launcher to an app is the app', () => {
    file('app/server.js');
    assert.equal(
      launcherOf(link('app/node_modules/npm/bin/npm-cli.js', '../../../server.js'), []),
      undefined,
    );
  });
});

describe('launcherOf: node --test', () => {
  const app = '/srv/app/test/app.test.js';
  test('the runner (--test, as in process.execArgv) is a launcher, whatever it runs', () => {
    assert.equal(launcherOf(app, ['--test']), 'node --test');
    assert.equal(launcherOf(undefined, ['-r', 'x', '--test', '--test-reporter=spec']), 'node --test');
    assert.equal(launcherOf(app, ['--test', '--test-isolation=process']), 'node --test');
  });
  test('a runner that runs the tests in its own process is the app', () => {
    assert.equal(launcherOf(app, ['--test', '--test-isolation=none']), undefined);
    assert.equal(launcherOf(app, ['--test', '--test-isolation', 'none']), undefined);
    assert.equal(launcherOf(app, ['--test', '--experimental-test-isolation=none']), undefined);
  });
  test("a test file's process (the runner's flags less --test) is the app", () => {
    assert.equal(launcherOf(app, ['--test-isolation=process', '--test-timeout=0']), undefined);
    assert.equal(launcherOf(app, ['--test-reporter=spec']), undefined);
    assert.equal(launcherOf(app, ['--watch']), undefined);
  });
});

describe('withFlag', () => {
  const entry = 'file:///srv/app/node_modules/@logos/otel/dist/register.js';
  const name = '@logos/otel/register';
  test('appends the flag to what is there', () => {
    assert.equal(withFlag(undefined, '--import', entry, name), `--import ${entry}`);
    assert.equal(withFlag('', '--import', entry, name), `--import ${entry}`);
    assert.equal(
      withFlag('--max-old-space-size=512', '--require', '/r.cjs', name),
      '--max-old-space-size=512 --require /r.cjs',
    );
  });
  test('leaves NODE_OPTIONS alone when it already loads the entry, by path or by name', () => {
    assert.equal(withFlag(`--import ${entry}`, '--import', entry, name), `--import ${entry}`);
    assert.equal(withFlag(`-r ${name}`, '--require', '/r.cjs', name), `-r ${name}`);
  });
  test('quotes a path with spaces, quotes or backslashes as NODE_OPTIONS reads it', () => {
    assert.equal(withFlag('', '--require', '/my app/r.cjs', name), '--require "/my app/r.cjs"');
    assert.equal(withFlag('', '--require', '/a"b/r.cjs', name), '--require "/a\\"b/r.cjs"');
    assert.equal(
      withFlag('', '--require', 'C:\\Program Files\\app\\r.cjs', name),
      '--require "C:\\\\Program Files\\\\app\\\\r.cjs"',
    );
  });
});
