// The `node --import @logos/otel/register` entry, for ES module apps: where boot/register-plan.ts says
// so, starts the agent once, and lets the app start once the agent's resource is complete.
import { planStart } from './boot/register-plan.js';

if (planStart('--import', import.meta.url)) {
  try {
    const { startAgent } = await import('./boot/start.js');
    // The app starts once the resource is complete (a few small file reads), so every span's
    // resource can be read at once, as the platform's smoke tests do.
    await startAgent()?.ready;
  } catch (error) {
    process.stderr.write(`@logos/otel: telemetry is off, the app runs without it: ${String(error)}\n`);
  }
}
