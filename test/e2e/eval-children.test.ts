// Node processes that run code given on the command line or on stdin (`node -e`, `node -p`, a
// script piped in), as services and tools spawn them with NODE_OPTIONS inherited, run and print
// exactly as they do bare, under either register entry: built-in globals, import() and ESM input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { FIXTURES, REGISTER } from '../helpers/run-fixture.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node with `args` (and `input` on stdin) in test/fixtures; killed after 15 s. */
async function node(args: readonly string[], nodeOptions: string, input?: string): Promise<Run> {
  const child = spawn(process.execPath, args, {
    cwd: FIXTURES,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_OPTIONS: nodeOptions },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(input ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = await once(child, 'exit');
  clearTimeout(killer);
  return { code: code as number | null, stdout, stderr };
}

const CASES: readonly { name: string; args: readonly string[]; input?: string; prints: string }[] = [
  {
    // Node offers the built-ins as globals here; `module` is read by Node itself before the code.
    name: 'node -e with built-in globals, also later (fs, module, http in a timer)',
    args: [
      '-e',
      'console.log(typeof fs.readFileSync, typeof module); setTimeout(() => console.log(typeof http.get), 10)',
    ],
    prints: 'function object\nfunction\n',
  },
  { name: 'node -p with a built-in global', args: ['-p', 'typeof os.cpus'], prints: 'function\n' },
  {
    name: 'node -e with import() of instrumented modules (node:http, express)',
    args: [
      '-e',
      'Promise.all([import("node:http"), import("express")]).then(([h, e]) => console.log(typeof h.get, typeof e.default))',
    ],
    prints: 'function function\n',
  },
  {
    name: 'node --input-type=module -e importing instrumented modules',
    args: [
      '--input-type=module',
      '-e',
      'import http from "node:http"; import express from "express"; console.log(typeof http.get, typeof express)',
    ],
    prints: 'function function\n',
  },
  {
    name: 'a CommonJS script on stdin',
    args: [],
    input: 'console.log(typeof require("node:http").get, typeof require("express"))',
    prints: 'function function\n',
  },
  {
    name: 'an ES module script on stdin',
    args: ['--input-type=module'],
    input: 'import http from "node:http"; console.log(typeof http.get)',
    prints: 'function\n',
  },
];

for (const entry of [`--import ${REGISTER}`, `-r ${REGISTER}`]) {
  describe(`NODE_OPTIONS="${entry}"`, { concurrency: true }, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const bare = await node(c.args, '', c.input);
        assert.deepEqual(bare, { code: 0, stdout: c.prints, stderr: '' }, 'bare, as the case expects');
        const run = await node(c.args, entry, c.input);
        assert.deepEqual(run, bare);
      });
    }
  });
}
