// Whether a register entry starts the agent in this process, or what it does instead. Shared by
// register.ts (--import) and register-require.ts (-r), so both entries decide alike.
import { isMainThread } from 'node:worker_threads';
import { launcherOf, withFlag } from './launcher.js';
import { isSupportedNode, oldNodeLine } from './node-floor.js';

const NAME = '@logos/otel/register';

/**
 * True when this process should start the agent: the main thread of a supported Node that is not
 * a launcher. In a launcher, the entry loaded as `<flag> <entry>` is passed on to the app instead;
 * on an old Node, one line says telemetry is off. Worker threads are left alone.
 */
export function planStart(flag: '--import' | '--require', entry: string): boolean {
  if (!isMainThread) return false;
  const launcher = launcherOf();
  if (launcher !== undefined) {
    // The app runs in a child process, which gets the environment but not the launcher's node
    // flags: an agent here would report the launcher (its runtime metrics, a package manager's
    // registry requests) under the service's name. A flag in NODE_OPTIONS already reaches the
    // app; one given on the command line is passed on through NODE_OPTIONS. node --test passes
    // its node flags on to the test files itself.
    if (launcher !== 'node --test') {
      process.env.NODE_OPTIONS = withFlag(process.env.NODE_OPTIONS, flag, entry, NAME);
    }
    return false;
  }
  if (!isSupportedNode()) {
    process.stderr.write(oldNodeLine());
    return false;
  }
  return true;
}
