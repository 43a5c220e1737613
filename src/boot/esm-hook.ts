// Installs import-in-the-middle's loader hook for the modules the agent instruments, so ESM apps
// are traced with the one --import flag. On Node versions with in-thread synchronous hooks
// (module.registerHooks) no loader thread is started. Loaded by boot/sdk.ts.
import * as nodeModule from 'node:module';
import { builtinModules, createRequire, type ResolveHookSync, register as registerLoader } from 'node:module';

const require = createRequire(import.meta.url);

/** Wraps only `modules` (package names and Node built-ins) for ESM imports; never throws. */
export function installEsmHook(modules: readonly string[]): void {
  const include = [
    ...new Set(modules.flatMap((name) => (isBuiltin(name) ? [name, `node:${name}`] : [name]))),
  ];
  if (include.length === 0) return;
  const { register, supportsSyncHooks } =
    require('import-in-the-middle/register-hooks.mjs') as typeof import('import-in-the-middle/register-hooks.mjs');
  if (supportsSyncHooks()) {
    register({ include });
    // Registered after import-in-the-middle's hooks, so it runs before them and sees their answer.
    // Read off the namespace: a named import of registerHooks would fail to link on a Node without
    // it, before any version check could say so (setupTelemetry() loads this module too).
    nodeModule.registerHooks?.({ resolve: keepBuiltinsBuiltin });
    return;
  }
  // Older Node: the off-thread loader, given the whole list up front so no hand-shake is needed.
  registerLoader('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
}

/**
 * import-in-the-middle (3.6.0) takes a module resolved without a parent for the app's entry point
 * and calls it CommonJS when it has no file extension. The built-ins that `node -e` and `node -p`
 * offer as globals (`fs`, `http`, `module`...) are required without a parent too, and a
 * built-in called CommonJS makes Node read a file of its name (ENOENT, open 'module'): such a
 * built-in gets Node's own answer back, which leaves its format unset.
 */
const keepBuiltinsBuiltin: ResolveHookSync = (specifier, context, nextResolve) => {
  const result = nextResolve(specifier, context);
  if (context.parentURL === undefined && result.url.startsWith('node:') && result.format === 'commonjs') {
    return { ...result, format: undefined };
  }
  return result;
};

function isBuiltin(name: string): boolean {
  return !name.startsWith('node:') && builtinModules.includes(name);
}
