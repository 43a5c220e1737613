// The http instrumentation (upstream's for outgoing requests, ours for incoming ones), built as its
// own module so that it is loaded only when needed.
export { ClientAndServerHttpInstrumentation as Instrumentation } from '../http/http.js';
