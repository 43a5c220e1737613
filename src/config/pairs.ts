// `key=value,...` lists (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS), split and decoded in
// one place: for config/readers.ts, which checks and keeps the entries, and doctor/config.ts, which redacts them.

/** A header name (RFC 9110 token): the only keys a secret key=value list may have. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** One `key=value` entry of a comma-separated, percent-encoded list, decoded; undefined parts did not decode. */
export interface PairEntry {
  /** 1-based position in the list. */
  readonly index: number;
  readonly text: string;
  /** The key as written, before decoding. */
  readonly rawKey: string | undefined;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

/** Splits `k=v,k2=v2` (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS) into decoded entries, skipping blanks. */
export function splitPairs(list: string): PairEntry[] {
  const entries: PairEntry[] = [];
  list.split(',').forEach((entry, position) => {
    const text = entry.trim();
    if (text === '') return;
    const eq = text.indexOf('=');
    const rawKey = eq > 0 ? text.slice(0, eq).trim() : undefined;
    entries.push({
      index: position + 1,
      text,
      rawKey,
      key: rawKey === undefined ? undefined : decode(rawKey),
      value: eq > 0 ? decode(text.slice(eq + 1).trim()) : undefined,
    });
  });
  return entries;
}

/** Whether `key` may be shown as the key of a secret list's entry. */
export function isHeaderName(key: string | undefined): key is string {
  return key !== undefined && HEADER_NAME.test(key);
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
