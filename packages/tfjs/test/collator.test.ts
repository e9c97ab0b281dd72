import { IGNORE_INDEX, InputError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { MlmSopCollator } from '../src/index.js';

const special = { pad: 0, cls: 2, sep: 3, mask: 4 };
const V = 1000;

/** Distinct ids per position so every target can be traced back. */
function doc(n: number, len: number, base: number): number[][] {
  return Array.from({ length: n }, (_, s) =>
    Array.from({ length: len }, (_, i) => 10 + ((base + s * len + i) % (V - 10))),
  );
}

describe('MLM + SOP collator (ALBERT create_pretraining_data)', () => {
  const col = new MlmSopCollator({ special, vocabSize: V, maxLength: 64, seed: 7 });
  const examples = Array.from({ length: 150 }, (_, d) => col.examplesFromDocument(doc(12, 10, d * 131))).flat();

  it('builds [CLS] A [SEP] B [SEP] with segment ids, padding and ≈50% swapped pairs', () => {
    expect(examples.length).toBeGreaterThan(200);
    let swapped = 0;
    for (const e of examples) {
      expect(e.input_ids).toHaveLength(64);
      expect(e.input_ids[0]).toBe(special.cls);
      const n = e.attention_mask.reduce((a, b) => a + b, 0);
      const seps = e.input_ids
        .map((t, i) => (t === special.sep && e.labels[i] === IGNORE_INDEX ? i : -1))
        .filter((i) => i >= 0 && i < n);
      expect(seps[seps.length - 1]).toBe(n - 1);
      const firstSep = seps[0]!;
      expect(e.token_type_ids.slice(0, firstSep + 1).every((t) => t === 0)).toBe(true);
      expect(e.token_type_ids.slice(firstSep + 1, n).every((t) => t === 1)).toBe(true);
      expect(e.input_ids.slice(n).every((t) => t === special.pad)).toBe(true);
      // Original ids (labels restore masked ones) increase along the document: a swap shows as a drop at the first [SEP].
      const orig = e.input_ids.map((t, i) => (e.labels[i] !== IGNORE_INDEX ? e.labels[i]! : t));
      const a = orig.slice(1, firstSep);
      const b = orig.slice(firstSep + 1, n - 1);
      const inOrder = b[0]! > a[a.length - 1]! || b[0]! < 20; // (ids wrap around at V)
      if (e.sentence_order_label === 1) swapped++;
      expect(e.sentence_order_label === 1 ? !inOrder || a[0]! > b[b.length - 1]! : inOrder).toBe(true);
    }
    expect(swapped / examples.length).toBeGreaterThan(0.4);
    expect(swapped / examples.length).toBeLessThan(0.6);
  });

  it('masks 15% of the tokens, never specials, in n-grams up to 3, replaced 80/10/10', () => {
    let tokens = 0;
    let targets = 0;
    let masked = 0;
    let kept = 0;
    let random = 0;
    const spanLengths = [0, 0, 0, 0, 0];
    for (const e of examples) {
      let run = 0;
      e.labels.forEach((l, i) => {
        const isSpecial = [special.cls, special.sep, special.pad].includes(e.input_ids[i]!) && l === IGNORE_INDEX;
        if (!isSpecial) tokens++;
        if (l === IGNORE_INDEX) {
          if (run) spanLengths[Math.min(run, 4)]!++;
          run = 0;
          return;
        }
        run++;
        targets++;
        expect([special.cls, special.sep, special.pad]).not.toContain(l);
        if (e.input_ids[i] === special.mask) masked++;
        else if (e.input_ids[i] === l) kept++;
        else random++;
      });
      if (run) spanLengths[Math.min(run, 4)]!++;
    }
    expect(targets / tokens).toBeGreaterThan(0.13);
    expect(targets / tokens).toBeLessThan(0.17);
    expect(masked / targets).toBeCloseTo(0.8, 1);
    expect(kept / targets).toBeGreaterThan(0.06);
    expect(kept / targets).toBeLessThan(0.14);
    expect(random / targets).toBeGreaterThan(0.06);
    expect(random / targets).toBeLessThan(0.14);
    // Multi-token spans occur (adjacent n-grams may merge, so only lengths 2 and 3 are checked for presence).
    expect(spanLengths[2]).toBeGreaterThan(0);
    expect(spanLengths[3]).toBeGreaterThan(0);
    expect(spanLengths[1]! > spanLengths[2]! && spanLengths[2]! > spanLengths[3]!).toBe(true);
  });

  it('collates to AlbertForPreTraining inputs and rejects bad settings', () => {
    const batch = MlmSopCollator.collate(examples.slice(0, 8));
    expect((batch.input_ids as unknown as { shape: number[] }).shape).toEqual([8, 64]);
    expect((batch.sentence_order_label as unknown as { shape: number[] }).shape).toEqual([8]);
    expect(() => new MlmSopCollator({ special: { ...special, mask: V }, vocabSize: V, maxLength: 64 })).toThrow(
      InputError,
    );
    expect(() => col.makeExample([], [5])).toThrow(/non-empty/);
  });
});
