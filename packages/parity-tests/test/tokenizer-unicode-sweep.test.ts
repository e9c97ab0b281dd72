// Every Unicode code point (and mark sequences) through the normalizers of AlbertTokenizerFast and of HF tokenizers
// (Rust, npm `tokenizers`): each fixture tokenizer.json normalizer (both pipelines) and each Unicode normalizer on
// its own, then ids and offsets of the whole pipeline. tokenizers' Unicode tables are older than Node's ICU
// (reference-unicode.ts in @albertjs/tokenizer); the U+00B4 ACUTE ACCENT class (NFKD of U+00A0–U+00BF) is here too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { corpusTokenizers } from '../src/fixtures.js';

const all: string[] = [];
for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) all.push(String.fromCodePoint(cp));
/** Lines of 64 consecutive code points, a space after every 4th (the pre-tokenizer then sees short words). */
const sweepLines: string[] = [];
for (let i = 0; i < all.length; i += 64)
  sweepLines.push(
    all
      .slice(i, i + 64)
      .map((c, k) => (k % 4 === 3 ? `${c} ` : c))
      .join(''),
  );
/** Marks after a base letter, around marks of class 1 and 230: canonical reordering, composition, stripping. */
const marks = all.filter((c) => /\p{M}/u.test(c));
const sequences = [
  ...marks.map((m) => `a${m}\u0334`),
  ...marks.map((m) => `e\u0301${m}`),
  ...marks.map((m) => `${m}x`),
  '1970\u00b4den \u00a0\u00a8\u00af\u00b4\u00b8 \u00aa\u00ba \u00b2\u00b3\u00b9 \u00bc\u00bd\u00be',
  'ΑΣ ΟΔΟΣ. İstanbul ǅ ß ﬁ ﬀ Ⅻ ㎏ ㍿ 가각 ᄀ\u1161\u11a8',
];

function normalizerOnly(normalizer: unknown): string {
  return JSON.stringify({
    version: '1.0',
    normalizer,
    pre_tokenizer: null,
    model: { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0]], byte_fallback: false },
  });
}

function compareNormalizer(json: string, inputs: string[]): string[] {
  const ref = Tokenizer.fromString(json).getNormalizer();
  const ours = AlbertTokenizerFast.fromTokenizerJson(json);
  const diffs: string[] = [];
  for (const s of inputs) {
    const a = ref === null ? s : ref.normalizeString(s);
    const b = ours.normalize(s);
    if (a !== b) diffs.push(`${JSON.stringify(s)} → rust ${JSON.stringify(a)}, albertjs ${JSON.stringify(b)}`);
  }
  return diffs;
}

const inputs = [...sweepLines, ...sequences];

describe('every code point through each Unicode normalizer alone', () => {
  it.each(['NFD', 'NFKD', 'NFC', 'NFKC', 'StripAccents', 'Lowercase'])('%s', (type) => {
    // Each code point alone: 256 per input between U+0001 (a control: class 0, no decomposition, composes with
    // nothing, so it isolates them); composition and reordering with neighbours: the sequences.
    const isolated: string[] = [];
    for (let i = 0; i < all.length; i += 256) isolated.push(all.slice(i, i + 256).join('\u0001'));
    const diffs = compareNormalizer(normalizerOnly({ type }), [...isolated, ...sequences]);
    expect(diffs.length, diffs.slice(0, 10).join('\n')).toBe(0);
  });
});

const files = corpusTokenizers().flatMap((t) =>
  (['tokenizer.json', 'tokenizer.transformers-v5.json'] as const)
    .filter((f) => existsSync(join(t.dir, f)))
    .map((f) => ({ name: `${t.name} ${f}`, json: readFileSync(join(t.dir, f), 'utf8') })),
);
// One test per distinct normalizer (the fixture files share a few).
const byNormalizer = new Map<string, { name: string; json: string }>();
for (const f of files) {
  const key = JSON.stringify((JSON.parse(f.json) as { normalizer: unknown }).normalizer);
  if (!byNormalizer.has(key)) byNormalizer.set(key, f);
}

describe('every code point through the fixture tokenizers', () => {
  it.each([...byNormalizer.values()])('$name: normalizer', ({ json }) => {
    const diffs = compareNormalizer(json, inputs);
    expect(diffs.length, diffs.slice(0, 10).join('\n')).toBe(0);
  });

  const lowercasing = files.find((f) => f.name.startsWith('spm-en-8000 tokenizer.json'))!;
  it(`${lowercasing.name}: ids and offsets of every code point line`, async () => {
    const encs = await Tokenizer.fromString(lowercasing.json).encodeBatch(inputs);
    const fast = AlbertTokenizerFast.fromTokenizerJson(lowercasing.json);
    const diffs: string[] = [];
    inputs.forEach((s, i) => {
      const r = fast.call(s, { returnOffsetsMapping: true });
      const e = encs[i]!;
      if (JSON.stringify([r.input_ids, r.offset_mapping]) !== JSON.stringify([e.getIds(), e.getOffsets()]))
        diffs.push(
          `${JSON.stringify(s)}: rust ${JSON.stringify(e.getOffsets())}, albertjs ${JSON.stringify(r.offset_mapping)}`,
        );
    });
    expect(diffs.length, diffs.slice(0, 5).join('\n')).toBe(0);
  });
});
