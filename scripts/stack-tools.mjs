// Makes sure the tools the tests run are on the machine before `npm test`: Debian's prometheus
// (prometheus, promtool) and docker-compose for the stack checks, and openssl for the TLS tests'
// certificates. Installs them with apt-get when it can (root on Debian, as on a fresh machine of this
// project); otherwise says in one line what to install and fails, so no test is skipped in silence.
import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = ['prometheus', 'promtool', 'docker-compose', 'openssl'];
const PACKAGES = ['prometheus', 'docker-compose', 'openssl'];

const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const missing = TOOLS.filter((tool) => !has(tool));
if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  if (!canInstall) {
    console.error(
      `npm test: the tests need ${missing.join(', ')}: run \`sudo apt-get install -y ${PACKAGES.join(' ')}\` (Debian), then npm test again`,
    );
    process.exit(1);
  }
  console.error(
    `npm test: installing Debian's ${PACKAGES.join(', ')} for the tests (${missing.join(', ')} missing)`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}
