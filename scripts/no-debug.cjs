// Stands in for the `debug` package in the bundle (scripts/build.mjs): require-in-the-middle is its
// only user, and loading it (with tty and colour detection) cost ~4 ms of every start-up. The
// agent's own diagnostics are set with OTEL_LOG_LEVEL instead of DEBUG=require-in-the-middle.
module.exports = function createDebug() {
  const log = function log() {};
  log.enabled = false;
  return log;
};
