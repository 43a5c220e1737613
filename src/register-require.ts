// The `node -r @logos/otel/register` entry (the `require` condition of package.json's exports), for
// CommonJS and ts-node apps, which no --import lets run: built as CommonJS to dist/register.cjs.
import { planStart } from './boot/register-plan.js';

// CommonJS rather than an ES module without top-level await: every Node loads it, so an old one
// still says telemetry is off and runs the app (Node before 20.19 cannot require an ES module),
// and it stays loadable by require() whatever the bundled ES modules come to contain.
if (planStart('--require', __filename)) {
  try {
    // The agent is an ES module graph without top-level await, which require() loads synchronously
    // on every Node planStart lets through. A preload cannot hold the app back, so the agent starts
    // now and its resource completes shortly after; exports wait for it.
    const { startAgent } = require('./boot/start.js') as typeof import('./boot/start.js');
    startAgent();
  } catch (error) {
    process.stderr.write(`@logos/otel: telemetry is off, the app runs without it: ${String(error)}\n`);
  }
}
