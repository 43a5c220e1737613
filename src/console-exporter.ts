// OTEL_EXPORT_CONSOLE=true: prints each finished span as one compact line on stderr, for development.
// Loaded by sdk.ts only when console output is asked for.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { redactUrl } from './redact.js';

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
const MAX_ATTRIBUTES = 8;
const MAX_VALUE = 60;

/** Formats one span as a single line (exported for tests). */
export function formatSpanLine(span: ReadableSpan, service: string): string {
  const { traceId, spanId } = span.spanContext();
  const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
  const parent = span.parentSpanContext?.spanId;
  const parts = [
    `[otel] ${service}`,
    span.name,
    `${ms.toFixed(ms < 10 ? 2 : 1)}ms`,
    SpanKind[span.kind]?.toLowerCase() ?? 'internal',
    `trace=${traceId}`,
    `span=${spanId}`,
  ];
  if (parent) parts.push(`parent=${parent}`);
  if (span.status.code === SpanStatusCode.ERROR) {
    parts.push(`ERROR${span.status.message ? `(${clip(span.status.message)})` : ''}`);
  }
  parts.push(...pickAttributes(span.attributes).map(([key, value]) => `${key}=${value}`));
  return parts.join(' ');
}

function pickAttributes(attributes: ReadableSpan['attributes']): [string, string][] {
  const keys = Object.keys(attributes);
  const ordered = [
    ...KEY_ATTRIBUTES.filter((key) => key in attributes),
    ...keys.filter((key) => !KEY_ATTRIBUTES.includes(key) && !isProtocolDetail(key)),
  ];
  return ordered.slice(0, MAX_ATTRIBUTES).map((key) => {
    const raw = attributes[key];
    const text = Array.isArray(raw) ? `[${raw.join(',')}]` : String(raw);
    return [key, clip(URL_ATTRIBUTES.has(key) ? redactUrl(text) : text)];
  });
}

/** Transport details a reader rarely needs on the one-line view. */
function isProtocolDetail(key: string): boolean {
  return /^(network\.|client\.|user_agent\.|http\.(flavor|scheme|user_agent|host|target|request\.header|response\.header)|net\.|url\.scheme|server\.port)/.test(
    key,
  );
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const cut = flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE - 1)}…` : flat;
  return /[\s"=]/.test(cut) ? JSON.stringify(cut) : cut;
}

/** A span exporter that writes one line per span to stderr. */
export class ConsoleLineExporter implements SpanExporter {
  constructor(
    private readonly service: string,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      for (const span of spans) this.write(formatSpanLine(span, this.service));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
