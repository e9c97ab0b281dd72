// AlbertTokenizerFast running tokenizer.json against the `tokenizers` library (ids, tokens, type ids, offsets into
// the original text, special-token and attention masks, decode) on every single string and pair. The recorded
// references are the library alone on the file, so the tokenizer keeps the file's [MASK] flags
// (`maskTokenLstrip: false`); the default (transformers' AlbertTokenizerFast) is in tokenizer-mask.test.ts.
import { AlbertTokenizerFast, albertTokenizerJson, SentencePieceProcessor } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { caseFolders, type FastRef, Tally } from './tokenizer-cases.js';

describe('AlbertTokenizerFast (tokenizer.json) ↔ tokenizers', () => {
  for (const folder of caseFolders()) {
    it(folder.fx.name, async () => {
      const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir, { maskTokenLstrip: false });
      const t = new Tally(folder.fx.name, 'tokenizers');
      const fields = (text: string, pair: string | undefined, ref: FastRef): Array<[string, unknown, unknown]> => {
        const r = tok.call(text, {
          textPair: pair,
          returnOffsetsMapping: true,
          returnSpecialTokensMask: true,
          returnTokenTypeIds: true,
        });
        return [
          ['ids', r.input_ids, ref.ids],
          ['tokens', r.encodings[0]!.tokens, ref.tokens],
          ['type_ids', r.token_type_ids, ref.type_ids],
          ['offsets', r.offset_mapping, ref.offsets],
          ['special_tokens_mask', r.special_tokens_mask, ref.special_tokens_mask],
          ['attention_mask', r.attention_mask, ref.attention_mask],
        ];
      };
      folder.cases.singles.forEach((c, i) => {
        t.check(`single #${i} ${JSON.stringify(c.text).slice(0, 50)}`, () => [
          ...fields(c.text, undefined, c.tokenizers),
          ['decoded', tok.decode(c.tokenizers.ids, { skipSpecialTokens: true }), c.tokenizers_decoded],
        ]);
      });
      // The `tokenizers` library encodes an empty second text as a pair; transformers' call API treats it as no
      // pair, so the empty-pair case goes through the pipeline directly.
      folder.cases.pairs.forEach((c, i) => {
        t.check(`pair #${i} ${JSON.stringify(c.text).slice(0, 40)}`, () => {
          if (c.text_pair !== '') return fields(c.text, c.text_pair, c.tokenizers);
          const e = tok.postProcess(
            tok.encodeSequence(c.text, 0, false),
            tok.encodeSequence(c.text_pair, 1, false),
            true,
          );
          return [
            ['ids', e.ids, c.tokenizers.ids],
            ['tokens', e.tokens, c.tokenizers.tokens],
            ['type_ids', e.typeIds, c.tokenizers.type_ids],
            ['offsets', e.offsets, c.tokenizers.offsets],
            ['special_tokens_mask', e.specialTokensMask, c.tokenizers.special_tokens_mask],
          ];
        });
      });
      console.log(t.summary());
      expect(t.failures).toEqual([]);
      expect(t.agree).toBe(folder.cases.singles.length + folder.cases.pairs.length);
    });
  }

  for (const folder of caseFolders()) {
    it(`${folder.fx.name}: converting spiece.model (AlbertConverter) gives tokenizer.json`, () => {
      const sp = new SentencePieceProcessor(folder.file('spiece.model'));
      const { do_lower_case, keep_accents } = folder.cases.options;
      const converted = albertTokenizerJson(sp, { doLowerCase: do_lower_case, keepAccents: keep_accents });
      expect(converted).toEqual(JSON.parse(folder.text('tokenizer.json')));
    });
  }

  it('special-token helpers agree with the pair encodings of tokenizers', async () => {
    for (const folder of caseFolders()) {
      const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir, { maskTokenLstrip: false });
      for (const c of folder.cases.pairs.slice(0, 8)) {
        const a = tok.call(c.text, { addSpecialTokens: false }).input_ids as number[];
        const b = tok.call(c.text_pair, { addSpecialTokens: false }).input_ids as number[];
        expect(tok.buildInputsWithSpecialTokens(a, b)).toEqual(c.tokenizers.ids);
        expect(tok.getSpecialTokensMask(a, b)).toEqual(c.tokenizers.special_tokens_mask);
        expect(tok.createTokenTypeIdsFromSequences(a, b)).toEqual(c.tokenizers.type_ids);
        expect(tok.getSpecialTokensMask(c.tokenizers.ids, undefined, true)).toEqual(c.tokenizers.special_tokens_mask);
      }
      const single = folder.cases.singles[0]!;
      expect(tok.buildInputsWithSpecialTokens(single.slow_ids)).toEqual(single.tokenizers.ids);
    }
  });
});
