// Builds the resource every span and metric carries: the service, the SDK and distro, the host,
// the process (without its arguments: they may hold secrets) and the container id when in one.
// Loaded by boot/sdk.ts and testing.ts. No cloud metadata is looked up.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { containerDetector } from '@opentelemetry/resource-detector-container';
import {
  defaultResource,
  detectResources,
  emptyResource,
  hostDetector,
  type Resource,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import packageJson from '../../package.json' with { type: 'json' };
import type { Config } from '../config/config.js';

/** The distro's own name and version, as recorded in telemetry.distro.*. */
export const DISTRO = { name: packageJson.name, version: packageJson.version } as const;

/**
 * The resource for `config`. With `detect`, host.id and container.id are filled in asynchronously by
 * their detectors (file reads; a process on some systems); without it, nothing is pending.
 */
export function buildResource(config: Pick<Config, 'resourceAttributes'>, detect = true): Resource {
  const detected = detect
    ? detectResources({ detectors: [hostDetector, containerDetector] })
    : emptyResource();
  const own = resourceFromAttributes({
    'host.name': hostname(),
    // Tells replicas of one service apart (the collector's Prometheus exporter keys series on it).
    'service.instance.id': randomUUID(),
    'process.pid': process.pid,
    'process.executable.name': process.title,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
    'telemetry.distro.name': DISTRO.name,
    'telemetry.distro.version': DISTRO.version,
  });
  return defaultResource()
    .merge(detected)
    .merge(own)
    .merge(resourceFromAttributes({ ...config.resourceAttributes }));
}
