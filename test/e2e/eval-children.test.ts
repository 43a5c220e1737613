// Node processes that run code given on the command line or on stdin (`node -e`, `node -p`, a
// script piped in), as services and tools spawn them with NODE_OPTIONS inherited, run and print
// exactly as they do bare, under either register entry: built-in globals, import() and ESM input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runChild } from '../helpers/child-process.js';
import { FIXTURES, REGISTER } from '../helpers/run-fixture.js';

/** Runs node with `args` (and `input` on stdin) in test/fixtures; killed after 15 s. */
async function node(
  args: readonly string[],
  nodeOptions: string,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = await runChild({
    args,
    cwd: FIXTURES,
    env: { NODE_OPTIONS: nodeOptions },
    input: input ?? '',
    timeoutMs: 15_000,
  });
  // Only what the cases compare: the exit code and the output.
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
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
