// AlbertTokenizerFast running tokenizer.transformers-v5.json through the transformers call API against transformers
// 5.17's AlbertTokenizer: singles with offsets, pairs, the three truncation strategies, padded batches and the
// question/context overflow windows.
import { AlbertTokenizerFast, transformersV5Json } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { type CaseFolder, caseFolders, Tally } from './tokenizer-cases.js';

/** The pipeline transformers 5 ran, as saved: its added tokens as written ([MASK] lstrip false there). */
function load(folder: CaseFolder): AlbertTokenizerFast {
  return AlbertTokenizerFast.fromFiles(
    {
      'tokenizer.json': folder.text('tokenizer.transformers-v5.json'),
      'tokenizer_config.json': folder.text('tokenizer_config.json'),
    },
    { maskTokenLstrip: false },
  );
}

describe('AlbertTokenizerFast (tokenizer.transformers-v5.json) ↔ transformers', () => {
  for (const folder of caseFolders()) {
    it(folder.fx.name, () => {
      const tok = load(folder);
      const t = new Tally(folder.fx.name, 'hf');
      folder.cases.singles.forEach((c, i) => {
        t.check(`single #${i} ${JSON.stringify(c.text).slice(0, 50)}`, () => {
          const r = tok.call(c.text, { returnOffsetsMapping: true, returnSpecialTokensMask: true });
          const ids = r.input_ids as number[];
          return [
            ['keys', Object.keys(r).sort(), ['attention_mask', 'input_ids', 'offset_mapping', 'special_tokens_mask']],
            ['input_ids', ids, c.hf.input_ids],
            ['attention_mask', r.attention_mask, c.hf.attention_mask],
            ['special_tokens_mask', r.special_tokens_mask, c.hf.special_tokens_mask],
            ['offset_mapping', r.offset_mapping, c.hf.offset_mapping],
            ['tokens', tok.convertIdsToTokens(ids), c.hf.tokens],
            ['decoded', tok.decode(ids, { skipSpecialTokens: true }), c.hf.decoded],
          ];
        });
      });
      folder.cases.pairs.forEach((c, i) => {
        t.check(`pair #${i} ${JSON.stringify(c.text).slice(0, 40)}`, () => {
          const r = tok.call(c.text, { textPair: c.text_pair, returnSpecialTokensMask: true });
          const out: Array<[string, unknown, unknown]> = [
            ['input_ids', r.input_ids, c.hf.input_ids],
            ['attention_mask', r.attention_mask, c.hf.attention_mask],
            ['special_tokens_mask', r.special_tokens_mask, c.hf.special_tokens_mask],
          ];
          for (const strategy of ['longest_first', 'only_first', 'only_second'] as const) {
            const ref = c.hf[`trunc_${strategy}`];
            let got: unknown;
            try {
              // The fixtures come from tokenizers 0.23.2, which truncates early (huggingface/tokenizers#2091).
              const tr = tok.call(c.text, {
                textPair: c.text_pair,
                truncation: strategy,
                maxLength: 24,
                truncateEarly: true,
              });
              got = { input_ids: tr.input_ids, attention_mask: tr.attention_mask };
            } catch (e) {
              got = { error: (e as Error).message.split(' (')[0] };
            }
            // transformers surfaces the tokenizers error as Exception('Truncation error: …')
            const want = 'error' in ref ? { error: /Exception\('(.*)'\)/.exec(ref.error)?.[1] ?? ref.error } : ref;
            out.push([`trunc_${strategy}`, got, want]);
          }
          return out;
        });
      });
      folder.cases.batches.forEach((b, i) => {
        t.check(`batch #${i} longest`, () => {
          const r = tok.call(b.texts, { padding: true });
          return [
            ['input_ids', r.input_ids, b.longest.input_ids],
            ['attention_mask', r.attention_mask, b.longest.attention_mask],
          ];
        });
        t.check(`batch #${i} max_length_32_trunc`, () => {
          const r = tok.call(b.texts, { padding: 'max_length', truncation: true, maxLength: 32, truncateEarly: true });
          return [
            ['input_ids', r.input_ids, b.max_length_32_trunc.input_ids],
            ['attention_mask', r.attention_mask, b.max_length_32_trunc.attention_mask],
          ];
        });
        t.check(`batch #${i} overflow`, () => {
          const o = b.overflow;
          const r = tok.call(o.question, {
            textPair: o.context,
            truncation: 'only_second',
            maxLength: 40,
            stride: 8,
            returnOverflowingTokens: true,
            returnOffsetsMapping: true,
            padding: 'max_length',
            truncateEarly: true,
          });
          return [
            ['input_ids', r.input_ids, o.input_ids],
            ['attention_mask', r.attention_mask, o.attention_mask],
            ['offset_mapping', r.offset_mapping, o.offset_mapping],
            ['overflow_to_sample_mapping', r.overflow_to_sample_mapping, o.overflow_to_sample_mapping],
          ];
        });
      });
      console.log(t.summary());
      expect(t.failures).toEqual([]);
      expect(t.agree).toBe(folder.cases.singles.length + folder.cases.pairs.length + 3 * folder.cases.batches.length);
    });
  }

  it('overflow windows cover the whole context by default; truncateEarly: true reproduces tokenizers 0.23.2', () => {
    const folder = caseFolders()[0]!;
    const tok = load(folder);
    const o = folder.cases.batches[0]!.overflow;
    const options = {
      textPair: o.context,
      truncation: 'only_second',
      maxLength: 40,
      stride: 8,
      returnOverflowingTokens: true,
      returnOffsetsMapping: true,
    } as const;
    const early = tok.call(o.question, { ...options, truncateEarly: true });
    const full = tok.call(o.question, options);
    expect(early.input_ids.length).toBe(o.input_ids.length);
    expect(full.input_ids[0]).toEqual(o.input_ids[0]);
    expect(full.input_ids.length).toBeGreaterThan(early.input_ids.length);
    const lastOffsets = full.offset_mapping![full.offset_mapping!.length - 1]!;
    expect(lastOffsets[lastOffsets.length - 2]![1]).toBe(Array.from(o.context.trimEnd()).length);
  });

  for (const folder of caseFolders()) {
    it(`${folder.fx.name}: pipeline 'transformers-v5' rebuilds tokenizer.transformers-v5.json from tokenizer.json`, async () => {
      expect(transformersV5Json(JSON.parse(folder.text('tokenizer.json')))).toEqual(
        JSON.parse(folder.text('tokenizer.transformers-v5.json')),
      );
      const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir, { pipeline: 'transformers-v5' });
      expect(tok.toTokenizerJson()).toEqual(JSON.parse(folder.text('tokenizer.transformers-v5.json')));
    });
  }
});
