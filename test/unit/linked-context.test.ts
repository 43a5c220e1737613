import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { LINKED_ROOT } from '../../src/traces/lean-tracer/context.js';

const keys = Array.from({ length: 40 }, (_, i) => createContextKey(`k${i}`));

test('a linked context reads, shadows and deletes like the API context, at every depth', () => {
  let linked = LINKED_ROOT;
  let base = ROOT_CONTEXT;
  const seen = [];
  // Past the flattening depth too: sets, overwrites and deletes over 40 keys, in a fixed order.
  for (let step = 0; step < 120; step++) {
    const key = keys[(step * 7) % keys.length] as symbol;
    if (step % 5 === 4) {
      linked = linked.deleteValue(key);
      base = base.deleteValue(key);
    } else {
      linked = linked.setValue(key, step);
      base = base.setValue(key, step);
    }
    seen.push({ linked, base });
    for (const k of keys) assert.equal(linked.getValue(k), base.getValue(k), `step ${step}`);
  }
  // Contexts are immutable: each earlier one still reads what it read when made.
  for (const { linked: l, base: b } of seen) for (const k of keys) assert.equal(l.getValue(k), b.getValue(k));
});

test('the linked root is empty and a value set on it stays off it', () => {
  const key = keys[0] as symbol;
  const child = LINKED_ROOT.setValue(key, 'x');
  assert.equal(child.getValue(key), 'x');
  assert.equal(LINKED_ROOT.getValue(key), undefined);
  assert.equal(child.deleteValue(key).getValue(key), undefined);
  assert.equal(child.setValue(key, undefined).getValue(key), undefined);
});
