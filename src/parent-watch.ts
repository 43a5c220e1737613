// Notices that the process that started us died (an `npx` killed with SIGKILL leaves its child to
// init): the parent pid changes. Loaded by cli-dev.ts, so a local receiver never outlives its
// launcher holding ports 4317/4318.

/**
 * Calls `onOrphaned` once when process.ppid stops being the pid it was at the call, checked every
 * `everyMs`. Does not keep the process alive; returns the function that stops watching.
 */
export function watchParent(onOrphaned: () => void, everyMs = 500): () => void {
  const parent = process.ppid;
  // Started by init (pid 1: a container's entry point, a daemon), there is no parent to lose.
  if (parent <= 1) return () => undefined;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
