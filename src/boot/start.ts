// Starts the agent once per process: reads the config, prints its warnings, starts the SDK and
// the exit handling. Shared by the register entry and setupTelemetry(); never throws.

import { type Env, parseConfig } from '../config/config.js';
import { doctorAtStart } from '../doctor/hook.js';
import { appDirectories, presenceChecker } from '../instrumentations/module-presence.js';
import { logLine } from '../util/logger.js';
import { findAppPackage } from './app-package.js';
import { type StartedAgent, startSdk } from './sdk.js';
import { installShutdown } from './shutdown.js';
import { claimStart, currentAgent, setAgent } from './state.js';

/** Starts the agent from `env` unless one already runs; returns the running one, if any. */
export function startAgent(env: Env = process.env): StartedAgent | undefined {
  if (!claimStart()) return currentAgent() as StartedAgent | undefined;
  try {
    const { config, warnings } = parseConfig(env, findAppPackage());
    doctorAtStart(env, { config, warnings });
    // Disabled means silent too: not even the configuration is commented on.
    if (config.disabled) {
      setAgent(undefined);
      return undefined;
    }
    for (const warning of warnings) logLine(warning.message);
    const agent = startSdk(config, { isPresent: presenceChecker(appDirectories()) });
    installShutdown(agent);
    setAgent(agent);
    return agent;
  } catch (error) {
    setAgent(undefined);
    logLine(`telemetry is off, the app runs without it: start-up failed (${String(error)})`);
    return undefined;
  }
}
