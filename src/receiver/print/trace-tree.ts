// Renders one trace as a tree with a waterfall bar per span: service, name, bar scaled to the
// trace, duration, status and key attributes. Pure; used by the trace printer and the demo.
import { clip, pickAttributes } from '../../traces/span-format.js';
import type { ReceivedSpan } from '../types.js';

const BAR_WIDTH = 32;
const KIND_NAMES = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

/** Spans of one trace, ordered as a depth-first walk from the roots (orphans count as roots). */
export function orderTree(spans: readonly ReceivedSpan[]): { span: ReceivedSpan; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, ReceivedSpan[]>();
  const roots: ReceivedSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId !== '' && ids.has(span.parentSpanId)) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: ReceivedSpan, b: ReceivedSpan) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1);
  const out: { span: ReceivedSpan; depth: number }[] = [];
  // A client can send spans whose parent links form a cycle: visit each span once.
  const seen = new Set<ReceivedSpan>();
  const walk = (span: ReceivedSpan, depth: number): void => {
    if (seen.has(span)) return;
    seen.add(span);
    out.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) walk(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) walk(root, 0);
  // Spans only reachable through a cycle have no root: show them at the top level.
  for (const span of spans) walk(span, 0);
  return out;
}

/** The lines that show `spans` (one trace) as a tree and waterfall. */
export function renderTrace(spans: readonly ReceivedSpan[]): string[] {
  if (spans.length === 0) return [];
  let start = spans[0]?.startTimeUnixNano ?? 0n;
  let end = 0n;
  for (const span of spans) {
    if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  const total = Number(end - start) / 1e6 || 1;
  const services = [...new Set(spans.map(serviceOf))];
  const errors = spans.filter((s) => s.status.code === 2).length;
  const rows = orderTree(spans);
  const serviceWidth = Math.max(...services.map((s) => s.length));
  const labels = rows.map(({ span, depth }) => `${'  '.repeat(depth)}${span.name}`);
  const labelWidth = Math.min(Math.max(...labels.map((l) => l.length)), 56);
  const header =
    `trace ${spans[0]?.traceId}  ${formatMs(total)}  ${spans.length} spans  ` +
    `services: ${services.join(', ')}${errors > 0 ? `  ${errors} error${errors > 1 ? 's' : ''}` : ''}`;
  const lines = [header];
  rows.forEach(({ span }, index) => {
    const offset = Number(span.startTimeUnixNano - start) / 1e6;
    const from = Math.min(BAR_WIDTH - 1, Math.floor((offset / total) * BAR_WIDTH));
    const width = Math.max(1, Math.round((span.durationMs / total) * BAR_WIDTH));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(width, BAR_WIDTH - from))}`.padEnd(BAR_WIDTH);
    const label = (labels[index] ?? '').slice(0, labelWidth).padEnd(labelWidth);
    const kind = KIND_NAMES[span.kind] ?? '';
    const status =
      span.status.code === 2 ? ` ✗ ERROR${span.status.message ? ` ${clip(span.status.message)}` : ''}` : '';
    const details = pickAttributes(span.attributes, 4).join(' ');
    lines.push(
      `  ${serviceOf(span).padEnd(serviceWidth)}  ${label}  |${bar}| ${formatMs(span.durationMs).padStart(9)} ${kind.padEnd(8)}${status} ${details}`.trimEnd(),
    );
  });
  return lines;
}

export function serviceOf(span: ReceivedSpan): string {
  return String(span.resource['service.name'] ?? 'unknown');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(ms < 10 ? 2 : 1)}ms`;
}
