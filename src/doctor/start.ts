// The doctor's report for a starting service (LOGOS_OTEL_DOCTOR): the process's own config and
// directories, written to stderr in one write. Loaded on demand by doctor/hook.ts.
import { findAppPackage } from '../boot/app-package.js';
import type { Config, ConfigWarning, Env } from '../config/config.js';
import { appDirectories } from '../instrumentations/module-presence.js';
import { doctorReport } from './doctor.js';
import { packageVersion } from './version.js';

export async function printStartReport(
  env: Env,
  parsed: { config: Config; warnings: ConfigWarning[] },
  probe: boolean,
): Promise<void> {
  const lines = await doctorReport({
    mode: 'start',
    env,
    dirs: appDirectories(),
    app: findAppPackage(),
    probe,
    version: packageVersion(),
    parsed,
  });
  process.stderr.write(`${lines.join('\n')}\n`);
}
