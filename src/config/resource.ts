// Reads the service's identity and resource attributes for config/config.ts: OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, and the app's package.json name and version as the fallback.
import type { EnvReader } from './readers.js';

export const UNKNOWN_SERVICE = 'unknown_service:node';

/** The resource attributes the user asked for, with service.name and service.version settled. */
export function readResourceAttributes(
  read: EnvReader,
  app: { readonly name?: string; readonly version?: string },
): { serviceName: string; attributes: Record<string, string> } {
  const attributes = read.pairs('OTEL_RESOURCE_ATTRIBUTES');
  const serviceName =
    read.text('OTEL_SERVICE_NAME') ?? attributes['service.name'] ?? app.name ?? UNKNOWN_SERVICE;
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
