// LOGOS_OTEL_DOCTOR=true (or =probe, which also connects once to each endpoint) on a real service
// start: the doctor's report, once, on stderr. Called by boot/start.ts; the report's code loads only then.
import type { Config, ConfigWarning, Env } from '../config/config.js';

/** Prints the doctor's report in the background when LOGOS_OTEL_DOCTOR asks for it; never throws. */
export function doctorAtStart(env: Env, parsed: { config: Config; warnings: ConfigWarning[] }): void {
  const asked = env.LOGOS_OTEL_DOCTOR?.trim().toLowerCase();
  if (asked !== 'true' && asked !== '1' && asked !== 'probe') return;
  import('./start.js')
    .then(({ printStartReport }) => printStartReport(env, parsed, asked === 'probe'))
    .catch((error: unknown) => {
      process.stderr.write(`@logos/otel: doctor: the report failed (${String(error)})\n`);
    });
}
