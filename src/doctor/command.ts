// `logos-otel doctor`: prints the doctor's report for an app started from this directory with this
// environment, probing each endpoint once (≤ 1 s). Loaded by cli.ts; always exits 0.
import { parseFlags } from '../cli/args.js';
import { cliDoctorInput, doctorReport } from './doctor.js';
import { packageVersion } from './version.js';

export const DOCTOR_USAGE = `usage: logos-otel doctor [--no-probe]

  Answers "why don't I see my spans?" for an app started from this directory with this
  environment: Node and how the agent would load, the configuration and where each value came
  from (secrets shown as [REDACTED]), the instrumentations and their packages, each endpoint and
  whether it answers (one TCP connect, at most 1 s), and what to change.
  --no-probe   do not connect to the endpoints
  A running service prints the same report once on stderr with LOGOS_OTEL_DOCTOR=true
  (LOGOS_OTEL_DOCTOR=probe also connects).`;

export async function doctor(args: string[]): Promise<void> {
  const values = parseFlags('doctor', args, { 'no-probe': { type: 'boolean', default: false } });
  if (values.help) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return;
  }
  const input = { ...cliDoctorInput(packageVersion()), probe: !values['no-probe'] };
  process.stdout.write(`${(await doctorReport(input)).join('\n')}\n`);
}
