// esbuild plugin used by scripts/build.mjs: makes the require() calls that packages built with
// rolldown hide behind its `__require` helper visible to esbuild, so what they load is bundled.
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';

// `__require("name")`, as rolldown emits it for a require() inside an ES module.
const HIDDEN_REQUIRE = /\b__require\((["'])([^"'\n]+)\1\)/g;

/**
 * Rolldown turns a package's `require('x')` into `__require('x')`, a createRequire() of the file's
 * own URL that esbuild cannot see: left alone it stays a run-time require of `x` from dist/, which
 * only resolves when the package manager happens to hoist `x` beside us (npm's default, not pnpm's
 * or `--install-strategy=linked`). Rewritten to a plain require(), esbuild bundles `x` like any other
 * dependency; `external` packages and Node built-ins keep the helper and load at run time.
 */
export function bundleBareRequires({ external }) {
  const keep = (name) =>
    isBuiltin(name) || external.some((pkg) => name === pkg || name.startsWith(`${pkg}/`));
  return {
    name: 'bundle-bare-requires',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!source.includes('__require(')) return undefined;
        const contents = source.replace(HIDDEN_REQUIRE, (call, quote, name) =>
          keep(name) ? call : `require(${quote}${name}${quote})`,
        );
        return contents === source ? undefined : { contents, loader: 'js' };
      });
    },
  };
}
