// OTEL_EXPORT_CONSOLE=true: prints each finished span as one compact line on stderr, for development.
// Loaded by boot/sdk.ts only when console output is asked for.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { clip, pickAttributes } from './span-format.js';

/** Formats one span as a single line. */
function formatSpanLine(span: ReadableSpan, service: string): string {
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
  parts.push(...pickAttributes(span.attributes));
  return parts.join(' ');
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
