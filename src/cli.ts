#!/usr/bin/env node
// The `logos-otel` command: `dev` (a local OTLP receiver that prints traces) and `doctor` (why spans
// do or do not arrive). Bad flags are one line on stderr and exit 2; other failures exit 1.
import { readFileSync } from 'node:fs';
import { UsageError } from './cli-args.js';
import { dev } from './cli-dev.js';

const USAGE = `usage: logos-otel <command> [flags]

  dev       run a local OTLP receiver and print each trace as a tree (logos-otel dev --help)
  --version print the version of @logos/otel

Run \`logos-otel <command> --help\` for a command's flags.`;

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  dev,
};

function version(): string {
  // dist/cli.js and src/cli.ts both sit one directory below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${version()}\n`);
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
