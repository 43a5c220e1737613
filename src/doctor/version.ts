// This package's version, read from its package.json (one directory above dist/ and src/ alike).
// Read by the CLI's --version and by the doctor's report.

import { readFileSync } from 'node:fs';
import { ownUrl } from '../lazy-module.js';

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(ownUrl('../package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
