// Overflow windows are complete by default (transformers 4.x, tokenizers ≤ 0.22): for random texts, pairs, lengths,
// strides and the three truncation strategies, each sequence's windows are contiguous slices of its untruncated
// tokens, consecutive windows overlap by exactly `stride` tokens, and together they give back every token. Both
// tokenizers. `truncateEarly: true` (tokenizers 0.23.1–0.23.2, huggingface/tokenizers#2091) is the opt-in that
// breaks this, checked at the end.
import { AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseFolders } from './tokenizer-cases.js';

const folder = caseFolders().find((f) => f.fx.name === 'spm-en-1000')!;
const cfg = parseTokenizerConfig(folder.text('tokenizer_config.json'));
const tokenizers = {
  fast: AlbertTokenizerFast.fromFiles({
    'tokenizer.json': folder.text('tokenizer.json'),
    'tokenizer_config.json': folder.text('tokenizer_config.json'),
  }),
  slow: AlbertTokenizer.fromSentencePiece(folder.file('spiece.model'), cfg),
};

const word = fc.constantFrom(
  'the',
  'tokenizer',
  'windows',
  'Überall',
  'naïve',
  '3,14',
  '(again)',
  'x',
  '😀',
  'München',
  'overlap',
  'stride',
  'a',
  'end.',
);
const text = fc.array(word, { minLength: 1, maxLength: 60 }).map((w) => w.join(' '));

/** One sequence's tokens in each row (type 0: the text, type 1: the pair; special tokens left out). */
function partOf(rows: number[][], types: number[][], specials: number[][], type: number): number[][] {
  return rows.map((ids, r) => ids.filter((_, k) => types[r]![k] === type && specials[r]![k] === 0));
}

/** How many windows of `size` tokens with `stride` overlap cover `length` tokens. */
function windowCount(length: number, size: number, stride: number): number {
  return length <= size ? 1 : 1 + Math.ceil((length - size) / (size - stride));
}

/**
 * The windows of each sequence, from the rows in the order tokenizers' Encoding::merge_with gives them: the main row
 * (A0 B0), then for every further window Ai of the text (Ai B0), (Ai B1) … (Ai Bm), then (A0 B1) … (A0 Bm).
 */
function windowsByRow(a: number[][], b: number[][], nA: number, nB: number): { a: number[][]; b: number[][] } {
  expect(a.length, 'one row per pair of windows').toBe(nA * nB);
  const wa = [a[0]!];
  for (let i = 1; i < nA; i++) wa.push(a[1 + (i - 1) * nB]!);
  const wb = [b[0]!];
  for (let j = 1; j < nB; j++) wb.push(b[1 + (nA - 1) * nB + (j - 1)]!);
  return { a: wa, b: wb };
}

/** The windows put back together: the first whole, each next one without the `stride` tokens it repeats. */
function reassemble(windows: number[][], stride: number): number[] {
  const out = [...windows[0]!];
  for (const w of windows.slice(1)) {
    expect(w.slice(0, stride), 'consecutive windows overlap by stride tokens').toEqual(out.slice(out.length - stride));
    out.push(...w.slice(stride));
  }
  return out;
}

describe.each(Object.entries(tokenizers))('%s tokenizer: complete overflow windows', (_, tok) => {
  it('windows reassemble into the full encoding (random texts, pairs, lengths, strides, strategies)', () => {
    let checked = 0;
    let overflowed = 0;
    fc.assert(
      fc.property(
        text,
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 8, max: 48 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom('longest_first', 'only_first', 'only_second') as fc.Arbitrary<
          'longest_first' | 'only_first' | 'only_second'
        >,
        (a, b, maxLength, stride, truncation) => {
          const fullA = tok.encode(a, { addSpecialTokens: false });
          const fullB = b === undefined ? [] : tok.encode(b, { addSpecialTokens: false });
          let r: ReturnType<typeof tok.call>;
          try {
            r = tok.call(a, {
              ...(b === undefined ? {} : { textPair: b }),
              truncation: b === undefined ? 'longest_first' : truncation,
              maxLength,
              stride,
              returnOverflowingTokens: true,
              returnSpecialTokensMask: true,
              returnTokenTypeIds: true,
            });
          } catch (e) {
            // The sequence to cut is shorter than what must go, or the stride is not below the window: both errors
            // of the reference too.
            expect((e as Error).message).toMatch(/too short|stride/);
            return;
          }
          const rows = r.input_ids as number[][];
          for (const row of rows) expect(row.length).toBeLessThanOrEqual(maxLength);
          const types = r.token_type_ids as number[][];
          const specials = r.special_tokens_mask as number[][];
          const partA = partOf(rows, types, specials, 0);
          const partB = partOf(rows, types, specials, 1);
          const nA = windowCount(fullA.length, partA[0]!.length, stride);
          const nB = b === undefined ? 1 : windowCount(fullB.length, partB[0]!.length, stride);
          const w = windowsByRow(partA, partB, nA, nB);
          expect(reassemble(w.a, stride)).toEqual(fullA);
          if (b !== undefined) expect(reassemble(w.b, stride)).toEqual(fullB);
          checked++;
          if (rows.length > 1) overflowed++;
        },
      ),
      { numRuns: 150 },
    );
    // Most runs are real checks, and many of them have several windows.
    expect(checked).toBeGreaterThan(75);
    expect(overflowed).toBeGreaterThan(40);
  });
});

it('truncateEarly: true (tokenizers 0.23.2) stops at max_length: its windows miss the end of a long text', () => {
  const long = 'the tokenizer windows overlap by a stride and end. '.repeat(40);
  const options = { truncation: true, maxLength: 32, stride: 4, returnOverflowingTokens: true } as const;
  const full = tokenizers.fast.call(long, options).input_ids as number[][];
  const early = tokenizers.fast.call(long, { ...options, truncateEarly: true }).input_ids as number[][];
  expect(early.length).toBeLessThan(full.length);
  // Slow and fast agree by default (the sentencepiece tokenizer has no early stop at all).
  const slow = tokenizers.slow.call(long, options).input_ids as number[][];
  expect(slow.length).toBe(full.length);
});
