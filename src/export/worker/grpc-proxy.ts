// The HTTP proxy of the gRPC transport, as grpc-js chose and used it before the transport moved
// to node:http2: grpc_proxy, else https_proxy, else http_proxy (http:// only, user:password sent
// as Basic Proxy-Authorization), unless the host ends with an entry of no_grpc_proxy (else
// no_proxy) or is an IPv4 address in one of its CIDR ranges; the connection is an HTTP CONNECT
// tunnel. Read in the worker from its environment, as grpc-js read it. Loaded by grpc-sender.ts.
import { request } from 'node:http';
import { isIPv4, type Socket } from 'node:net';

export interface GrpcProxy {
  readonly host: string;
  readonly port: number;
  /** `user:password` (decoded), for Proxy-Authorization. */
  readonly credentials: string | undefined;
}

/** The proxy a connection to `host` goes through, or undefined for a direct one. */
export function proxyFor(host: string, env: NodeJS.ProcessEnv): GrpcProxy | undefined {
  const value = env.grpc_proxy || env.https_proxy || env.http_proxy;
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:') return undefined;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const noProxy = (env.no_grpc_proxy || env.no_proxy || '').split(',').map((entry) => entry.trim());
  if (noProxy.some((entry) => entry !== '' && (bare.endsWith(entry) || inCidr(bare, entry))))
    return undefined;
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 80 : Number(url.port),
    credentials: user === undefined ? undefined : password === undefined ? user : `${user}:${password}`,
  };
}

/**
 * Opens a CONNECT tunnel through `proxy` to `target` (host:port); rejects with the reason (the
 * connect error, the proxy's answer, or no answer within `timeoutMs`).
 */
export function tunnel(proxy: GrpcProxy, target: string, timeoutMs: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const headers: Record<string, string> = { host: target };
    if (proxy.credentials !== undefined)
      headers['proxy-authorization'] = `Basic ${Buffer.from(proxy.credentials).toString('base64')}`;
    const req = request({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`the proxy ${proxy.host}:${proxy.port} did not answer within ${timeoutMs} ms`)),
    );
    req.once('connect', (res, socket, head) => {
      req.setTimeout(0);
      if (res.statusCode === 200) {
        // Bytes of the tunnel the HTTP parser read already go back in front.
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      } else {
        socket.destroy();
        reject(
          new Error(`the proxy ${proxy.host}:${proxy.port} answered CONNECT with HTTP ${res.statusCode}`),
        );
      }
    });
    req.once('error', reject);
    req.end();
  });
}

/** Whether `host` is an IPv4 address inside `range` (a.b.c.d/n). */
function inCidr(host: string, range: string): boolean {
  const [ip, bits] = range.split('/');
  const prefix = Number(bits);
  if (
    ip === undefined ||
    !isIPv4(ip) ||
    !isIPv4(host) ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > 32
  )
    return false;
  const toInt = (address: string): number =>
    address.split('.').reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
  const mask = prefix === 0 ? 0 : (-1 << (32 - prefix)) >>> 0;
  return (toInt(ip) & mask) >>> 0 === (toInt(host) & mask) >>> 0;
}
