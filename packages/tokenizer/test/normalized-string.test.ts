// NormalizedString keeps the original range of every normalized character through each kind of transformation,
// as tokenizers' NormalizedString does (its unit tests in normalizer.rs give the expected alignments).
import { describe, expect, it } from 'vitest';
import { LowercaseNormalizer } from '../src/normalizers/lowercase.js';
import { ReplaceNormalizer } from '../src/normalizers/replace.js';
import { StripNormalizer } from '../src/normalizers/strip.js';
import { StripAccentsNormalizer } from '../src/normalizers/strip-accents.js';
import { UnicodeNormalizer } from '../src/normalizers/unicode-forms.js';
import { NormalizedString } from '../src/pipeline/normalized-string.js';
import { parsePattern } from '../src/pipeline/pattern.js';

const aligns = (ns: NormalizedString) => Array.from(ns.cps, (_, i) => [ns.starts[i], ns.ends[i]]);

describe('NormalizedString alignments', () => {
  it('NFD splits a character, both parts keep its range', () => {
    const ns = NormalizedString.fromText('élégant');
    new UnicodeNormalizer('NFD').normalize(ns);
    expect(ns.get()).toBe('e\u0301le\u0301gant');
    expect(aligns(ns).slice(0, 4)).toEqual([
      [0, 1],
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    new StripAccentsNormalizer().normalize(ns);
    expect(ns.get()).toBe('elegant');
    expect(aligns(ns)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => [i, i + 1]));
  });

  it('NFKD of a ligature, and canonical reordering', () => {
    const ns = NormalizedString.fromText('ﬁx');
    new UnicodeNormalizer('NFKD').normalize(ns);
    expect(ns.get()).toBe('fix');
    expect(aligns(ns)).toEqual([
      [0, 1],
      [0, 1],
      [1, 2],
    ]);
    const r = NormalizedString.fromText('a\u0301\u0323');
    new UnicodeNormalizer('NFD').normalize(r);
    expect(r.get()).toBe('a\u0323\u0301');
    // as in tokenizers, a (char, change) list carries no position: reordered marks take alignments in order
    expect(aligns(r)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('NFC composes and keeps the first character range', () => {
    const ns = NormalizedString.fromText('e\u0301t');
    new UnicodeNormalizer('NFC').normalize(ns);
    expect(ns.get()).toBe('ét');
    expect(ns.originalRange(0, 1)).toEqual([0, 1]);
    expect(ns.originalRange(1, 2)).toEqual([2, 3]);
  });

  it('Lowercase growing a character (İ → i̇) and Replace taking the last replaced character', () => {
    const ns = NormalizedString.fromText('İa');
    new LowercaseNormalizer().normalize(ns);
    expect(ns.get()).toBe('i\u0307a');
    expect(aligns(ns)).toEqual([
      [0, 1],
      [0, 1],
      [1, 2],
    ]);
    const q = NormalizedString.fromText("a''b");
    new ReplaceNormalizer(parsePattern({ String: "''" }, 'test'), '"').normalize(q);
    expect(q.get()).toBe('a"b');
    expect(aligns(q)).toEqual([
      [0, 1],
      [2, 3],
      [3, 4],
    ]);
    const sp = NormalizedString.fromText('a   b');
    new ReplaceNormalizer(parsePattern({ Regex: ' {2,}' }, 'test'), ' ').normalize(sp);
    expect(sp.get()).toBe('a b');
    expect(sp.originalRange(0, 3)).toEqual([0, 5]);
  });

  it('Strip, prepend, split and slices keep absolute offsets; astral characters count once', () => {
    const ns = NormalizedString.fromText('  😀 ab ');
    new StripNormalizer(true, true).normalize(ns);
    expect(ns.get()).toBe('😀 ab');
    expect(aligns(ns)).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    const words = ns.split((cp) => cp === 32, 'removed');
    expect(words.map((w) => w.get())).toEqual(['😀', 'ab']);
    words[1]!.prepend('\u2581');
    expect(words[1]!.get()).toBe('\u2581ab');
    expect(aligns(words[1]!)).toEqual([
      [4, 5],
      [4, 5],
      [5, 6],
    ]);
    const merged = NormalizedString.fromText('\u2581\u2581a\u2581b').split((cp) => cp === 0x2581, 'mergedWithNext');
    expect(merged.map((w) => w.get())).toEqual(['\u2581', '\u2581a', '\u2581b']);
  });

  it('a long text (typed storage) behaves as a short one', () => {
    const text = 'Ab ÉC '.repeat(1000);
    const ns = NormalizedString.fromText(text);
    new UnicodeNormalizer('NFKD').normalize(ns);
    new StripAccentsNormalizer().normalize(ns);
    new LowercaseNormalizer().normalize(ns);
    expect(ns.get()).toBe('ab ec '.repeat(1000));
    expect(ns.originalRange(3, 5)).toEqual([3, 5]);
    expect(ns.originalRange(6 * 999 + 3, 6 * 999 + 5)).toEqual([6 * 999 + 3, 6 * 999 + 5]);
  });
});
