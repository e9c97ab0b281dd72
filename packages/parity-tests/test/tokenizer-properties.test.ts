// Property tests over random Unicode strings (combining marks, astral and control characters, whitespace runs,
// literal special tokens, quotes, digit-commas): both tokenizers never throw, offsets stay monotone inside the text,
// the model loses no character, and decode(encode(x)) gives back the normalized text.
import { AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseFolder, caseFolders } from './tokenizer-cases.js';

const tricky = fc.constantFrom(
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2028',
  '\u0301',
  '\u0308',
  '\u0323',
  '\u094d',
  'é',
  'ﬁ',
  'Σ',
  'İ',
  'ß',
  '😀',
  '👍🏽',
  '𝔘',
  '\u0000',
  '\u0007',
  '\u200b',
  '\u200d',
  '\ufeff',
  '``',
  "''",
  '"',
  '(',
  ')',
  '[MASK]',
  '[CLS]',
  '<unk>',
  '<pad>',
  '3,',
  '12,',
  ',',
  '–',
  '€',
);
const anyText = fc.string({
  unit: fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 2 }), fc.constantFrom(...'abcXYZ019.!? ')),
  maxLength: 40,
});
/** Characters every English model here knows (after NFKD, accent stripping and lower-casing). */
const knownText = fc.string({
  unit: fc.constantFrom(
    ...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ 0123456789.!?',
    ' ',
    '   ',
    '\t',
    '\n',
    '\u00a0',
    'é',
    'ü',
    '\u0301',
    '(',
    ')',
  ),
  maxLength: 40,
});

const cpLength = (s: string) => Array.from(s).length;
const RUNS = 150;

function load(folder: CaseFolder) {
  const cfg = parseTokenizerConfig(folder.text('tokenizer_config.json'));
  return {
    // The file's added tokens as written: with [MASK] lstrip its token would not hold the space it takes.
    fast: AlbertTokenizerFast.fromFiles(
      {
        'tokenizer.json': folder.text('tokenizer.json'),
        'tokenizer_config.json': folder.text('tokenizer_config.json'),
      },
      { maskTokenLstrip: false },
    ),
    v5: AlbertTokenizerFast.fromFiles(
      {
        'tokenizer.json': folder.text('tokenizer.transformers-v5.json'),
        'tokenizer_config.json': folder.text('tokenizer_config.json'),
      },
      { maskTokenLstrip: false },
    ),
    slow: AlbertTokenizer.fromSentencePiece(folder.file('spiece.model'), cfg),
  };
}

describe('tokenizer properties on random Unicode text', () => {
  const folder = caseFolders().find((f) => f.fx.name === 'spm-en-1000')!;
  const { fast, v5, slow } = load(folder);

  it('never throws, and offsets are monotone and inside the text (tokenizer.json and transformers-v5 pipelines)', () => {
    fc.assert(
      fc.property(anyText, anyText, (text, pair) => {
        for (const tok of [fast, v5]) {
          const r = tok.call(text, { returnOffsetsMapping: true, returnSpecialTokensMask: true });
          const offsets = r.offset_mapping as Array<[number, number]>;
          const special = r.special_tokens_mask as number[];
          let last = 0;
          offsets.forEach(([s, e], i) => {
            if (special[i] === 1) return;
            expect(s).toBeGreaterThanOrEqual(last);
            expect(e).toBeGreaterThanOrEqual(s);
            expect(e).toBeLessThanOrEqual(cpLength(text));
            last = s;
          });
          tok.call(text, {
            textPair: pair,
            truncation: 'longest_first',
            maxLength: 12,
            stride: 2,
            returnOverflowingTokens: true,
            padding: 'max_length',
          });
          tok.decode(r.input_ids as number[]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the Unigram model loses no character: tokens join to the pre-tokenized text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const tok of [fast, v5]) expect(tok.tokenize(text).join('')).toBe(tok.preTokenize(text).join(''));
      }),
      { numRuns: RUNS },
    );
  });

  it('sentencepiece mode never throws and its pieces join to the normalized text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const pieces = slow.tokenize(text, { splitSpecialTokens: true });
        // transformers' tokenize lower-cases each character alone first (do_lower_case): a final Σ becomes σ, not ς
        const lowered = slow.doLowerCase ? Array.from(text, (c) => c.toLowerCase()).join('') : text;
        expect(pieces.join('')).toBe(slow.sp.normalizer.normalize(slow.preprocessText(lowered)));
        slow.decode(slow.encode(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('decode(encode(x)) is the normalized text', () => {
    fc.assert(
      fc.property(knownText, (text) => {
        for (const tok of [fast, v5]) {
          const pieces = tok.preTokenize(text);
          const joined = pieces.join('').replaceAll('\u2581', ' ');
          const expected = pieces[0]?.startsWith('\u2581') ? joined.slice(1) : joined;
          expect(tok.decode(tok.encode(text), { skipSpecialTokens: true })).toBe(expected);
        }
        const lowered = slow.doLowerCase ? Array.from(text, (c) => c.toLowerCase()).join('') : text; // the per-character do_lower_case pass
        const normalized = slow.sp.normalizer.normalize(slow.preprocessText(lowered)).replaceAll('\u2581', ' ').trim();
        expect(slow.decode(slow.encode(text), { skipSpecialTokens: true })).toBe(normalized);
      }),
      { numRuns: RUNS },
    );
  });

  it('a long input is handled in linear time without stack overflows', () => {
    const long = 'Tokenizers cut text into pieces, (again) and again 3,14! '.repeat(4000);
    for (const tok of [fast, v5, slow]) expect(tok.encode(long).length).toBeGreaterThan(10000);
  });
});
