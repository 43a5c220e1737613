// Removes secrets from URLs and header maps before they reach a span, a log line or a warning.
// Used by the config readers (warnings), traces/redaction-processor.ts (span attributes) and traces/span-format.ts.

/** The placeholder printed instead of a secret. */
export const REDACTED = '[REDACTED]';

/** Query parameter names whose values are secrets (matched case-insensitively, also as a suffix). */
const SECRET_QUERY_KEYS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'sig',
  'signature',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'code',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
];

/** Request and response headers never recorded on spans. */
const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-amz-security-token',
];

/**
 * Whether a query parameter or header name holds a secret: a known name, or one ending in a secret
 * word in snake, kebab or camel case (`access_token`, `x-api-key`, `sessionToken`, `clientSecret`).
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    SECRET_QUERY_KEYS.includes(lower) ||
    SECRET_HEADERS.includes(lower) ||
    /(^|[_.-])(token|secret|password|passwd|pwd|signature|sig|api-?key|apikey|key|credentials?|auth|session(id)?|cookie)$/.test(
      lower,
    ) ||
    /[a-z0-9](Token|Secret|Password|Signature|Key|Credentials?|Auth)$/.test(name)
  );
}

/** Whether a header's value must not be recorded. */
export const isSecretHeader = isSecretName;

/**
 * Returns `url` with user info and secret query values replaced by [REDACTED]. Works on absolute
 * URLs and on path-plus-query strings; a string that is not a URL at all is returned unchanged
 * unless it looks like it holds credentials, in which case it is replaced whole.
 */
export function redactUrl(url: string): string {
  // Most URLs carry neither user info nor a query: nothing to parse (this runs on every HTTP span).
  if (!url.includes('@') && !url.includes('?')) return url;
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  // user:pass@host without a scheme would parse as a URL whose scheme is "user:".
  if (!hasScheme && /^[^/?#]*@/.test(url)) return REDACTED;
  let parsed: URL;
  try {
    parsed = hasScheme ? new URL(url) : new URL(url, 'http://relative.invalid');
  } catch {
    return /@|token|key|sig|pass/i.test(url) ? REDACTED : url;
  }
  const userInfo = hasScheme && (parsed.username !== '' || parsed.password !== '');
  const query = redactQuery(parsed.search);
  if (!userInfo && query === parsed.search) return url;
  const base = hasScheme
    ? `${parsed.protocol}//${userInfo ? `${REDACTED}@` : ''}${parsed.host}${parsed.pathname}`
    : parsed.pathname;
  return `${base}${query}${parsed.hash}`;
}

/** Redacts the secret values of a query string ('?a=1&token=x' -> '?a=1&token=[REDACTED]'). */
export function redactQuery(search: string): string {
  if (search === '' || search === '?') return search;
  const body = search.startsWith('?') ? search.slice(1) : search;
  const parts = body.split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
    } catch {
      // A key that does not decode is judged as it stands.
    }
    return eq !== -1 && isSecretName(key) ? `${rawKey}=${REDACTED}` : part;
  });
  return `${search.startsWith('?') ? '?' : ''}${parts.join('&')}`;
}
