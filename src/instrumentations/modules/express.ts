// The express instrumentation (upstream's, guarded), built as its own module so that it is loaded
// only when needed.
export { GuardedExpressInstrumentation as Instrumentation } from '../express.js';
