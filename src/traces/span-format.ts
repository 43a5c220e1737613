// How a span's attributes are shown on one line: the telling ones first, transport detail left out,
// URLs redacted, long values clipped. Shared by the console exporter and the receiver's printer.
import { redactUrl } from '../util/redact.js';

/** Attributes worth showing first, in this order, when a span has them. */
const KEY_ATTRIBUTES = [
  'http.request.method',
  'http.route',
  'url.path',
  'url.full',
  'http.response.status_code',
  'server.address',
  'db.system.name',
  'db.system',
  'db.operation.name',
  'rpc.method',
];
const URL_ATTRIBUTES = new Set(['url.full', 'http.url', 'url.path', 'url.query', 'http.target']);
const MAX_VALUE = 60;

/** Up to `max` `key=value` pairs from `attributes`, in reading order. */
export function pickAttributes(attributes: Readonly<Record<string, unknown>>, max = 8): string[] {
  const keys = Object.keys(attributes);
  const ordered = [
    ...KEY_ATTRIBUTES.filter((key) => key in attributes),
    ...keys.filter((key) => !KEY_ATTRIBUTES.includes(key) && !isProtocolDetail(key)),
  ];
  return ordered.slice(0, max).map((key) => {
    const raw = attributes[key];
    const text = Array.isArray(raw) ? `[${raw.join(',')}]` : String(raw);
    return `${key}=${clip(URL_ATTRIBUTES.has(key) ? redactUrl(text) : text)}`;
  });
}

/** Transport details a reader rarely needs on the one-line view. */
function isProtocolDetail(key: string): boolean {
  return /^(network\.|client\.|user_agent\.|http\.(flavor|scheme|user_agent|host|target|request\.header|response\.header|request\.method_original)|net\.|url\.scheme|url\.query|server\.port)/.test(
    key,
  );
}

/** One value on one line: whitespace folded, cut to 60 characters, quoted when it needs to be. */
export function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const cut = flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE - 1)}…` : flat;
  return /[\s"=]/.test(cut) ? JSON.stringify(cut) : cut;
}
