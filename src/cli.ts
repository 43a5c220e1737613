#!/usr/bin/env node
// The `logos-otel` command: `dev` (a local OTLP receiver that prints traces) and `doctor` (why spans
// do or do not arrive). Bad flags are one line on stderr and exit 2; other failures exit 1.
import { UsageError } from './cli/args.js';
import { dev } from './cli/dev.js';
import { doctor } from './doctor/command.js';
import { packageVersion } from './doctor/version.js';

const USAGE = `usage: logos-otel <command> [flags]

  dev       run a local OTLP receiver and print each trace as a tree (logos-otel dev --help)
  doctor    why don't I see my spans? checks Node, loading, configuration and endpoints
  --version print the version of @logos/otel

Run \`logos-otel <command> --help\` for a command's flags.`;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  dev,
  doctor,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const entry = COMMANDS[command];
  if (entry === undefined)
    throw new UsageError(
      `${command.startsWith('-') ? 'unknown flag' : 'unknown command'} '${command}' (commands: ${Object.keys(COMMANDS).join(', ')}; see logos-otel --help)`,
    );
  await entry(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`logos-otel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
