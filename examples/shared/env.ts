// Reads the few environment variables the example services take: PORT and the URLs of the services
// they call. Loaded by each service's entry file; everything else gets plain values.

/** The port to listen on: PORT, or 0 (a free port) when unset. */
export function readPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT?.trim();
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT=${raw} is not a port number (0-65535)`);
  }
  return port;
}

/** The base URL in `name` (e.g. HERMES_URL); throws an error naming the variable when unset or bad. */
export function readServiceUrl(name: string, env: NodeJS.ProcessEnv = process.env): URL {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '')
    throw new Error(`${name} is not set (e.g. ${name}=http://127.0.0.1:8080)`);
  try {
    return new URL(raw);
  } catch {
    throw new Error(`${name}=${raw} is not a URL`);
  }
}
