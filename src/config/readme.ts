// The README's table of variables, rendered from the variables table (config/table.ts). Written into
// README.md by scripts/config-readme.ts; test/unit/config-readme.test.ts checks the README matches.
import { specOf, VARIABLES, type VariableName, type VariableSpec } from './table.js';

/** The lines that open and close the generated table in README.md. */
const README_START =
  '<!-- variables: generated from src/config/table.ts by `npx tsx scripts/config-readme.ts` -->';
const README_END = '<!-- /variables -->';

function shownDefault(spec: VariableSpec): string {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  switch (spec.kind) {
    case 'bool':
    case 'int':
    case 'number':
    case 'enum':
      return `\`${spec.default}\``;
    case 'list':
      return spec.default.length > 0 ? `\`${spec.default.join(',')}\`` : 'none';
    case 'text':
    case 'path':
      return spec.default !== undefined ? `\`${spec.default}\`` : 'none';
    default:
      return 'none';
  }
}

/** The Markdown table, one row per variable, its columns padded as a formatter would. */
function variablesTable(): string {
  const rows = (Object.keys(VARIABLES) as VariableName[]).map((name) => {
    const spec = specOf(name);
    return [`\`${name}\`${spec.perSignal ? ' (and per signal)' : ''}`, shownDefault(spec), spec.doc];
  });
  const all = [['Variable', 'Default', 'Meaning'], ...rows];
  const widths = [0, 1, 2].map((column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = all;
  return [line(head ?? []), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** `readme` with the text between the markers replaced by the table; undefined when a marker is missing. */
export function withVariablesTable(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  // Blank lines around the table, so that no Markdown renderer reads a marker as a row of it.
  return `${readme.slice(0, start + README_START.length)}\n\n${variablesTable()}\n\n${readme.slice(end)}`;
}
