// Long documents: one text of ≈ 120 k characters from every corpus file (npm READMEs, six languages of manual pages,
// Unicode blocks), newlines kept, through both tokenizers and the real engines:
// - AlbertTokenizerFast encodes it in chunks (packages/tokenizer/src/pipeline/chunks.ts); ids and offsets must be those
//   of HF tokenizers (Rust), which encodes it whole, and those of the same pipeline with chunking off;
// - AlbertTokenizer's sentencepiece mode runs its Viterbi over the whole normalized text (path scores accumulate in
//   float32 over the whole text, so it is never chunked): pieces as sentencepiece's (C++ in wasm, '0.1' ties).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { AddedToken, Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { corpusFiles, corpusTokenizers } from '../src/fixtures.js';

// ≈ 15 k characters of each file, whole lines, in one text.
const text = corpusFiles()
  .map((f) => {
    const out: string[] = [];
    let n = 0;
    for (const line of f.lines) {
      if (n > 15_000) break;
      out.push(line);
      n += line.length + 1;
    }
    return out.join('\n');
  })
  .join('\n');

function firstDifference(a: readonly unknown[], b: readonly unknown[]): string {
  let i = 0;
  while (i < Math.min(a.length, b.length) && JSON.stringify(a[i]) === JSON.stringify(b[i])) i++;
  return `lengths ${a.length} / ${b.length}; first difference at ${i}: ${JSON.stringify(a.slice(i, i + 5))} vs ${JSON.stringify(b.slice(i, i + 5))}`;
}

const tokenizers = corpusTokenizers().filter((t) => existsSync(join(t.dir, 'tokenizer.json')));

describe('a long multilingual text', () => {
  it('is long and mixes the corpus files', () => {
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).toContain('\n');
  });

  it.each(tokenizers)(
    'AlbertTokenizerFast $name: chunked, the ids and offsets of tokenizers (Rust) on the whole text',
    async (t) => {
      const json = readFileSync(join(t.dir, 'tokenizer.json'), 'utf8');
      const rust = Tokenizer.fromString(json);
      rust.addAddedTokens([new AddedToken('[MASK]', true, { leftStrip: true, rightStrip: false, normalized: false })]);
      const ref = await rust.encode(text);
      const fast = AlbertTokenizerFast.fromFiles({
        'tokenizer.json': json,
        'tokenizer_config.json': readFileSync(join(t.dir, 'tokenizer_config.json'), 'utf8'),
      });
      const got = fast.call(text, { returnOffsetsMapping: true });
      expect(got.input_ids, firstDifference(got.input_ids, ref.getIds())).toEqual(ref.getIds());
      expect(got.offset_mapping, firstDifference(got.offset_mapping ?? [], ref.getOffsets())).toEqual(ref.getOffsets());
      fast.pipeline.chunkLongTexts = false;
      const whole = fast.call(text, { returnOffsetsMapping: true });
      expect(whole.input_ids).toEqual(got.input_ids);
      expect(whole.offset_mapping).toEqual(got.offset_mapping);
    },
  );

  it.each(tokenizers.filter((t) => existsSync(join(t.dir, 'spiece.model'))))(
    'AlbertTokenizer $name: the pieces of sentencepiece on the whole text',
    async (t) => {
      const spiece = readFileSync(join(t.dir, 'spiece.model'));
      const cfg = parseTokenizerConfig(readFileSync(join(t.dir, 'tokenizer_config.json'), 'utf8'));
      const slow = AlbertTokenizer.fromSentencePiece(spiece, { ...cfg, sentencepiece: '0.1' });
      const sp = new SentencePieceProcessor();
      await sp.loadFromB64StringModel(spiece.toString('base64'));
      const pre = slow.preprocessText(text);
      const want = sp.encodePieces(pre);
      const got = slow.sp.encode(pre).map((p) => p.piece);
      expect(got, firstDifference(got, want)).toEqual(want);
    },
  );
});
