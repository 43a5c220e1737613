// Installs import-in-the-middle's loader hook for the modules the agent instruments, so ESM apps
// are traced with the one --import flag. On Node versions with in-thread synchronous hooks
// (module.registerHooks) no loader thread is started. Loaded by sdk.ts.
import { builtinModules, createRequire, register as registerLoader } from 'node:module';

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
    return;
  }
  // Older Node: the off-thread loader, given the whole list up front so no hand-shake is needed.
  registerLoader('import-in-the-middle/hook.mjs', import.meta.url, { data: { include } });
}

function isBuiltin(name: string): boolean {
  return !name.startsWith('node:') && builtinModules.includes(name);
}
