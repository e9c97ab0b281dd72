// Which pipelines encode long texts in chunks, and where the cuts fall (packages/tokenizer/src/pipeline/chunks.ts);
// that chunked encodings equal the whole-text ones and HF tokenizers' is packages/parity-tests/test/tokenizer-long-text.test.ts.
import { describe, expect, it } from 'vitest';
import { LowercaseNormalizer } from '../src/normalizers/lowercase.js';
import { ReplaceNormalizer } from '../src/normalizers/replace.js';
import { SequenceNormalizer } from '../src/normalizers/sequence.js';
import { StripNormalizer } from '../src/normalizers/strip.js';
import { UnicodeNormalizer } from '../src/normalizers/unicode-forms.js';
import type { AddedToken } from '../src/pipeline/added-vocabulary.js';
import { chunkable, chunkCuts } from '../src/pipeline/chunks.js';
import { parsePattern } from '../src/pipeline/pattern.js';
import { MetaspacePreTokenizer } from '../src/pre-tokenizers/metaspace.js';
import { SequencePreTokenizer } from '../src/pre-tokenizers/sequence.js';
import { WhitespaceSplitPreTokenizer } from '../src/pre-tokenizers/whitespace-split.js';

const replace = (pattern: object, content: string) => new ReplaceNormalizer(parsePattern(pattern, 'test'), content);
const albert = new SequenceNormalizer([
  replace({ String: '``' }, '"'),
  replace({ String: "''" }, '"'),
  new UnicodeNormalizer('NFKD'),
  new LowercaseNormalizer(),
  replace({ Regex: ' {2,}' }, ' '),
]);
const metaspace = new MetaspacePreTokenizer('\u2581', 'always', true);
const mask: AddedToken = {
  id: 4,
  content: '[MASK]',
  single_word: false,
  lstrip: true,
  rstrip: false,
  normalized: false,
  special: true,
};

describe('chunkable', () => {
  it("accepts ALBERT's pipelines (both pre-tokenizer layouts) with [MASK] lstrip", () => {
    expect(chunkable(albert, metaspace, [mask])).toBe(true);
    expect(chunkable(albert, new SequencePreTokenizer([new WhitespaceSplitPreTokenizer(), metaspace]), [mask])).toBe(
      true,
    );
  });
  it('refuses what a cut at a space would change', () => {
    // a word is the whole text
    expect(chunkable(albert, new MetaspacePreTokenizer('\u2581', 'always', false), [])).toBe(false);
    expect(chunkable(albert, undefined, [])).toBe(false);
    // Strip works on the ends of the whole text
    expect(chunkable(new StripNormalizer(true, true), metaspace, [])).toBe(false);
    // a replacement that can span or create whitespace
    expect(chunkable(replace({ String: 'a b' }, 'x'), metaspace, [])).toBe(false);
    expect(chunkable(replace({ String: 'x' }, ' '), metaspace, [])).toBe(false);
    expect(chunkable(replace({ Regex: '\\s+' }, ' '), metaspace, [])).toBe(false);
    // rstrip would take the space at the cut; a token with a space could span it
    expect(chunkable(albert, metaspace, [{ ...mask, rstrip: true }])).toBe(false);
    expect(chunkable(albert, metaspace, [{ ...mask, content: 'new york' }])).toBe(false);
  });
});

describe('chunkCuts', () => {
  it('cuts only at spaces between two printable ASCII characters, about every `size` characters', () => {
    const text = 'ab cd  ef\ngh é ij-kl mn '.repeat(40);
    const cuts = chunkCuts(text, 30);
    expect(cuts.length).toBeGreaterThan(10);
    for (const c of cuts) {
      expect(text[c]).toBe(' ');
      expect(text[c - 1]).toMatch(/[!-~]/);
      expect(text[c + 1]).toMatch(/[!-~]/);
    }
    for (let i = 1; i < cuts.length; i++) expect(cuts[i]! - cuts[i - 1]!).toBeGreaterThanOrEqual(30);
    expect(chunkCuts('short text', 30)).toEqual([]);
    expect(chunkCuts('x'.repeat(100), 30)).toEqual([]);
  });
});
