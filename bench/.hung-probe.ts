import { spawn } from 'node:child_process';
import { blackHole } from '/work/main/bench/lib/collector.js';
const hole = await blackHole();
for (const wait of [500, 1500]) {
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const p = spawn(process.execPath, ['--import', '@logos/otel/register', '-e', `setTimeout(() => console.log('done', Date.now()), ${wait})`], { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint, OTEL_SERVICE_NAME: 'h' }, cwd: '/work/main', stdio: ['ignore', 'pipe', 'inherit'] });
    let out = ''; p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => { const done = Number(out.split(' ')[1]); console.log(`app work ${wait} ms: exit ${Date.now() - done} ms after its last work`); resolve(); });
  });
}
await hole.close(); process.exit(0);
