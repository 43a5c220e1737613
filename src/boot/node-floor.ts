// The oldest Node the agent runs on, and the one line it prints on an older one. Used by the
// register entries (boot/register-plan.ts), setupTelemetry() (boot/setup.ts) and the doctor.

/** The oldest Node the agent runs on; package.json's engines says the same (a unit test checks). */
export const NODE_FLOOR = [22, 15] as const;

/** Whether Node `version` is one the agent runs on (22.15 and later). */
export function isSupportedNode(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1]);
}

/** What an older Node prints, once, before the app runs on without telemetry. */
export function oldNodeLine(version: string = process.versions.node): string {
  return `@logos/otel: telemetry is off: Node ${version} is older than ${NODE_FLOOR.join('.')}, which OpenTelemetry needs; the app runs unchanged\n`;
}
