// What a service installs with @logos/otel: packs this package, installs the tarball into an empty
// temporary project (npm's default, hoisted layout), and prints the package count and the size on
// disk of its node_modules, as a Markdown table. `node scripts/footprint.mjs`; with --check (.ci/run)
// it fails above the targets: 45 packages, 12 MiB.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIB = 1024 * 1024;
const TARGET = { packages: 45, mib: 12 };
const root = join(import.meta.dirname, '..');

/**
 * Sizes under `path`, symbolic links not followed: `bytes` is what the files hold (what
 * `du --apparent-size` says), `disk` the blocks they take, which depends on the file system.
 */
function sizes(path) {
  const stat = lstatSync(path);
  const total = { bytes: stat.isDirectory() ? 0 : stat.size, disk: stat.blocks * 512 };
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) {
      const inner = sizes(join(path, name));
      total.bytes += inner.bytes;
      total.disk += inner.disk;
    }
  }
  return total;
}

/** The installed packages, from npm's record of node_modules: path -> { name, bytes }. */
function installed(modules) {
  const lock = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8'));
  return Object.keys(lock.packages)
    .filter((path) => path.startsWith('node_modules/'))
    .map((path) => ({
      name: path.slice(path.lastIndexOf('node_modules/') + 13),
      bytes: sizes(join(modules, '..', path)).bytes,
    }));
}

const work = mkdtempSync(join(tmpdir(), 'logos-otel-footprint-'));
try {
  const npm = (args, cwd) =>
    execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const tarball = join(work, filename);
  const consumer = join(work, 'consumer');
  execFileSync('mkdir', [consumer]);
  writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  npm(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], consumer);
  const modules = join(consumer, 'node_modules');
  const packages = installed(modules).sort((a, b) => b.bytes - a.bytes);
  const total = sizes(modules);
  const mib = (bytes) => (bytes / MIB).toFixed(1);
  console.log('| packages installed (with @logos/otel) | installed size | disk blocks used | tarball |');
  console.log('| ---: | ---: | ---: | ---: |');
  console.log(
    `| ${packages.length} | ${mib(total.bytes)} MiB | ${mib(total.disk)} MiB | ${mib(lstatSync(tarball).size)} MiB |`,
  );
  console.log('');
  console.log(
    `Largest: ${packages
      .slice(0, 6)
      .map((p) => `${p.name} ${mib(p.bytes)} MiB`)
      .join(', ')}`,
  );
  if (
    process.argv.includes('--check') &&
    (packages.length > TARGET.packages || total.bytes > TARGET.mib * MIB)
  ) {
    console.error(`over the target of ${TARGET.packages} packages and ${TARGET.mib} MiB`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
