// Notices that the process that started us died (an `npx` killed with SIGKILL leaves its child to
// init), so a local receiver never outlives its launcher holding ports 4317/4318. Loaded by cli/dev.ts.
import { readFileSync } from 'node:fs';

/** The parent pid of `pid` from /proc (Linux), or undefined where that cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a non-interactive shell running one command (`sh -c '...'`), as npm runs bins. */
function isShellWrapper(pid: number): boolean {
  try {
    const [shell = '', flag] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /(^|\/)(sh|dash|bash|zsh|ash)$/.test(shell) && flag === '-c';
  } catch {
    return false;
  }
}

/**
 * Calls `onOrphaned` once when the parent dies (process.ppid changes). npm, npx and the like run a
 * bin through `sh -c`, which outlives a killed npx: when the parent is such a wrapper, its own
 * parent (the launcher) is watched too. Checked every `everyMs`; does not keep the process alive.
 * Returns the function that stops watching.
 */
export function watchParent(onOrphaned: () => void, everyMs = 500): () => void {
  const parent = process.ppid;
  // Started by init (pid 1: a container's entry point, a daemon), there is no parent to lose.
  if (parent <= 1) return () => undefined;
  const launcher = isShellWrapper(parent) ? parentOf(parent) : undefined;
  const watched = launcher !== undefined && launcher > 1 ? launcher : undefined;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent || (watched !== undefined && parentOf(parent) !== watched);
    if (!gone) return;
    clearInterval(timer);
    onOrphaned();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
