// The koa instrumentation (upstream's, guarded), built as its own module so that it is loaded only
// when needed.
export { GuardedKoaInstrumentation as Instrumentation } from '../koa.js';
