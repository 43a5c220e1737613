// The `node --import @logos/otel/register` entry: on the main thread of a supported Node, starts
// the agent once. Anything else (worker threads, old Node, a second copy) leaves the app untouched.
import { isMainThread } from 'node:worker_threads';
import { isLauncher, withImport } from './launcher.js';

const MINIMUM = [22, 15] as const;

function supported(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

if (isMainThread) {
  if (isLauncher()) {
    // tsx's CLI runs the app in a child process that gets the environment but not our flag: pass
    // the flag on there and start nothing in the launcher itself.
    process.env.NODE_OPTIONS = withImport(process.env.NODE_OPTIONS, import.meta.url, '@logos/otel/register');
  } else if (!supported(process.versions.node)) {
    process.stderr.write(
      `@logos/otel: telemetry is off: Node ${process.versions.node} is older than ${MINIMUM.join('.')}, which OpenTelemetry needs; the app runs unchanged\n`,
    );
  } else {
    try {
      const { startAgent } = await import('./start.js');
      // The app starts once the resource is complete (a few small file reads), so every span's
      // resource can be read at once, as the platform's smoke tests do.
      await startAgent()?.ready;
    } catch (error) {
      process.stderr.write(`@logos/otel: telemetry is off, the app runs without it: ${String(error)}\n`);
    }
  }
}
