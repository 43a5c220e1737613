// The undici instrumentation (ours: upstream's with interned metric attributes), built as its own
// module so that it is loaded only when needed.
export { Instrumentation } from '../undici.js';
