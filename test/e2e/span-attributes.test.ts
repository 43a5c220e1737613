// Span attributes through the real export: a whole LLM prompt is cut to the attribute length limit
// (4096 by default, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT otherwise), and circular or non-primitive
// values given to the span helpers arrive as safe values instead of throwing. Fixture: span-attributes.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exportTo, type Receiver, receiver, spansOf } from '../helpers/otlp.js';
import { runFixture } from '../helpers/run-fixture.js';

let r: Receiver;
before(async () => {
  r = await receiver();
});
after(() => r.close());

for (const [limit, expected] of [
  [undefined, 4096],
  ['100', 100],
] as const) {
  test(`a whole prompt is cut to ${expected} characters${limit ? ' (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT)' : ' by default'}, odd values do not throw`, async () => {
    const service = `span-attributes-${expected}`;
    const run = await runFixture({
      script: 'span-attributes.mjs',
      env: { ...exportTo(r, service), OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: limit },
      timeoutMs: 15_000,
    });
    assert.deepEqual({ code: run.code, signal: run.signal }, { code: 0, signal: null }, run.output);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      ok: boolean;
      promptLength: number;
    };
    assert.equal(report.ok, true);
    assert.ok(report.promptLength > 100_000);
    assert.equal(run.stderr, '', run.output);

    const span = spansOf(r, service).find((s) => s.name === 'hermes.llm');
    assert.ok(span, run.output);
    const a = span.attributes;
    assert.equal(String(a['llm.prompt']).length, expected);
    assert.ok(String(a['llm.prompt']).startsWith('You are Hermes. Summarise'));
    assert.equal(String(a['llm.answer']).length, expected, 'span.setAttribute is cut too');
    assert.match(String(a['llm.meta']), /"name":"loop"/, 'the circular object arrives as text');
    assert.match(String(a['llm.again']), /"name":"loop"/);
    assert.equal(a['llm.tokens'], '12');
    assert.equal(typeof a['llm.mixed'], 'string', 'a mixed array arrives as text');
    assert.equal(a['llm.when'], '1970-01-01T00:00:00.000Z');
    assert.equal(span.status.code, 0, 'the span is not an error');
  });
}
