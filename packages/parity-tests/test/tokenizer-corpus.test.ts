// Both tokenizers against the real engines on the real-world corpus (fixtures/corpus: npm READMEs, Debian manual
// pages in six languages, Unicode-heavy lines), every fixture tokenizer and the embedded default model:
// - AlbertTokenizer (spiece.model) with `sentencepiece: '0.1'` against sentencepiece itself (@sctg/sentencepiece-js,
//   the C++ library 0.1.x in wasm) with transformers 4's AlbertTokenizer._tokenize around it (the text preprocessed
//   first, the digit-comma re-split);
// - AlbertTokenizerFast (tokenizer.json, both pipelines) against HF tokenizers in Rust (npm `tokenizers`) on the same
//   file with [MASK] re-added as transformers' AlbertTokenizerFast.__init__ does (lstrip): ids and offsets.
// Every line of the corpus is checked for each tokenizer in its tokenizer.json pipeline and sentencepiece mode; the
// transformers-v5 pipeline (the same model, another normalizer/pre-tokenizer) takes every 4th line unless
// CORPUS_FULL=1.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { AddedToken, Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { corpusFiles, corpusTokenizers } from '../src/fixtures.js';
import { referencePieces } from './slow-reference.js';

const lines = corpusFiles().flatMap((f) => f.lines);
const FULL = process.env.CORPUS_FULL === '1';

function report(name: string, diffs: string[]): string {
  return `${name}: ${diffs.length} of ${lines.length} lines differ; first ones:\n${diffs.slice(0, 5).join('\n')}`;
}

describe('the corpus', () => {
  it('is real text in several languages and scripts', () => {
    const files = corpusFiles();
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['npm-readmes.txt', 'man-ja.txt', 'man-ru.txt']));
    expect(lines.length).toBeGreaterThan(25_000);
  });
});

describe.each(corpusTokenizers().filter((t) => existsSync(join(t.dir, 'spiece.model'))))(
  'AlbertTokenizer $name vs sentencepiece (C++ in wasm)',
  (t) => {
    it('segments every corpus line exactly as sentencepiece 0.1.x (wasm)', async () => {
      const spiece = readFileSync(join(t.dir, 'spiece.model'));
      const cfg = parseTokenizerConfig(readFileSync(join(t.dir, 'tokenizer_config.json'), 'utf8'));
      const slow01 = AlbertTokenizer.fromSentencePiece(spiece, { ...cfg, sentencepiece: '0.1' });
      const sp = new SentencePieceProcessor();
      await sp.loadFromB64StringModel(spiece.toString('base64'));
      const diffs: string[] = [];
      for (const line of lines) {
        // transformers' tokenize: with do_lower_case each character is lower-cased alone (Σ → σ), then _tokenize
        const lowered = slow01.doLowerCase ? Array.from(line, (c) => c.toLowerCase()).join('') : line;
        const preprocessed = slow01.preprocessText(lowered);
        const ref = referencePieces(sp, preprocessed).join(' ');
        const got01 = slow01.tokenize(line, { splitSpecialTokens: true }).join(' ');
        if (got01 !== ref) diffs.push(`${JSON.stringify(line)}\n  albertjs '0.1' ${got01}\n  spm 0.1 wasm  ${ref}`);
      }
      expect(diffs.length, report(t.name, diffs)).toBe(0);
    });
  },
);

const fastCases = corpusTokenizers().flatMap((t) =>
  (['tokenizer.json', 'tokenizer.transformers-v5.json'] as const)
    .filter((file) => existsSync(join(t.dir, file)))
    .map((file) => ({ name: `${t.name} ${file}`, dir: t.dir, file })),
);

describe.each(fastCases)('AlbertTokenizerFast $name vs tokenizers (Rust)', ({ name, dir, file }) => {
  it('gives the ids and offsets of tokenizers on the corpus', async () => {
    const json = readFileSync(join(dir, file), 'utf8');
    const sample = FULL || file === 'tokenizer.json' ? lines : lines.filter((_, i) => i % 4 === 0);
    const rust = Tokenizer.fromString(json);
    rust.addAddedTokens([new AddedToken('[MASK]', true, { leftStrip: true, rightStrip: false, normalized: false })]);
    const ref = await rust.encodeBatch(sample);
    const fast = AlbertTokenizerFast.fromFiles({
      'tokenizer.json': json,
      'tokenizer_config.json': readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'),
    });
    const diffs: string[] = [];
    sample.forEach((line, i) => {
      const r = fast.call(line, { returnOffsetsMapping: true });
      const e = ref[i]!;
      const same =
        JSON.stringify(r.input_ids) === JSON.stringify(e.getIds()) &&
        JSON.stringify(r.offset_mapping) === JSON.stringify(e.getOffsets());
      if (!same)
        diffs.push(
          `${JSON.stringify(line)}\n  albertjs ${fast.convertIdsToTokens(r.input_ids as number[]).join(' ')} ${JSON.stringify(r.offset_mapping)}\n  rust     ${e.getTokens().join(' ')} ${JSON.stringify(e.getOffsets())}`,
        );
    });
    expect(diffs.length, report(name, diffs)).toBe(0);
  });
});
