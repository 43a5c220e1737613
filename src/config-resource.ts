// Reads the service's identity and resource attributes for config.ts: OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, and the app's package.json name and version as the fallback.
import { type EnvReader, splitPairs } from './env-readers.js';

export const UNKNOWN_SERVICE = 'unknown_service:node';

/** The resource attributes the user asked for, with service.name and service.version settled. */
export function readResourceAttributes(
  read: EnvReader,
  app: { readonly name?: string; readonly version?: string },
): { serviceName: string; attributes: Record<string, string> } {
  const attributes = parsePairs(read, 'OTEL_RESOURCE_ATTRIBUTES');
  const serviceName =
    read.raw('OTEL_SERVICE_NAME') ?? attributes['service.name'] ?? app.name ?? UNKNOWN_SERVICE;
  attributes['service.name'] = serviceName;
  const version = attributes['service.version'] ?? (serviceName === app.name ? app.version : undefined);
  if (version !== undefined) attributes['service.version'] = version;
  // Both the current and the older semantic-convention key, so either kind of backend query finds it.
  const environment = attributes['deployment.environment.name'] ?? attributes['deployment.environment'];
  if (environment !== undefined) {
    attributes['deployment.environment.name'] = environment;
    attributes['deployment.environment'] = environment;
  }
  return { serviceName, attributes };
}

function parsePairs(read: EnvReader, name: string): Record<string, string> {
  read.note(name, 'pairs');
  const value = read.raw(name);
  const pairs: Record<string, string> = {};
  if (value === undefined) return pairs;
  const bad: string[] = [];
  for (const { text, key, value: val } of splitPairs(value)) {
    if (key === undefined || val === undefined || key === '') bad.push(text.slice(0, 40));
    else pairs[key] = val;
  }
  if (bad.length > 0) {
    read.warn(name, `${name} has entries that are not key=value (${bad.join('; ')}); they are ignored`);
  }
  return pairs;
}
