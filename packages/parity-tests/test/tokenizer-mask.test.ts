// One [MASK] behaviour in every entry point, as transformers: AlbertTokenizer (slow) and AlbertTokenizerFast make
// the mask token AddedToken("[MASK]", lstrip=True, rstrip=False, normalized=False) in __init__, whatever the file
// says (the fixtures' and the default model's tokenizer.json have lstrip false), and transformers 5's rebuilt
// pipeline splits on whitespace first: `of [MASK]` → `▁of [MASK]`, never `▁of ▁ [MASK]`.
// Reference for the default fast tokenizer: HF tokenizers (Rust) on the same file after the same re-add
// (tokenizers' add_tokens updates the existing token's flags), ids and offsets on every fixture string.
import { join } from 'node:path';
import { loadTokenizer } from '@albertjs/pipelines';
import { AlbertTokenizer, AlbertTokenizerFast, AutoTokenizer, parseTokenizerConfig } from '@albertjs/tokenizer';
import { AddedToken, Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { corpusTokenizers } from '../src/fixtures.js';
import { caseFolders } from './tokenizer-cases.js';

describe('AlbertTokenizerFast (default) ↔ tokenizers with [MASK] re-added as transformers does', () => {
  for (const folder of caseFolders()) {
    it(folder.fx.name, async () => {
      const ref = Tokenizer.fromString(folder.text('tokenizer.json'));
      ref.addAddedTokens([new AddedToken('[MASK]', true, { leftStrip: true, rightStrip: false, normalized: false })]);
      const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir);
      const inputs: Array<[string, string | undefined]> = [
        ...folder.cases.singles.map((c) => [c.text, undefined] as [string, undefined]),
        // (an empty text_pair is no pair for transformers, and a pair for tokenizers: left out)
        ...folder.cases.pairs.filter((c) => c.text_pair !== '').map((c) => [c.text, c.text_pair] as [string, string]),
      ];
      let withMask = 0;
      for (const [text, pair] of inputs) {
        const e = await ref.encode(text, pair ?? null);
        const r = tok.call(text, { ...(pair === undefined ? {} : { textPair: pair }), returnOffsetsMapping: true });
        expect([r.input_ids, r.offset_mapping], JSON.stringify([text, pair])).toEqual([e.getIds(), e.getOffsets()]);
        if (`${text}${pair ?? ''}`.includes('[MASK]')) withMask++;
      }
      expect(withMask).toBeGreaterThan(0);
    });
  }
});

describe('every entry point tokenizes [MASK] alike', () => {
  const defaultModel = corpusTokenizers().find((t) => t.name === 'models/default')!.dir;
  const text = 'The capital of [MASK] is Paris.';

  it('slow, fast, fast transformers-v5, AutoTokenizer and the pipelines’ tokenizer give the same ids', async () => {
    const fast = await AlbertTokenizerFast.fromPretrained(defaultModel);
    const v5 = await AlbertTokenizerFast.fromPretrained(defaultModel, { pipeline: 'transformers-v5' });
    const auto = await AutoTokenizer.fromPretrained(defaultModel);
    const { readFileSync } = await import('node:fs');
    const slow = AlbertTokenizer.fromSentencePiece(
      readFileSync(join(defaultModel, 'spiece.model')),
      parseTokenizerConfig(readFileSync(join(defaultModel, 'tokenizer_config.json'), 'utf8')),
    );
    const pipe = await loadTokenizer(defaultModel);
    const ids = fast.encode(text);
    const tokens = fast.convertIdsToTokens(ids);
    // No lone ▁ before [MASK]: the space belongs to the mask token.
    expect(tokens[tokens.indexOf('[MASK]') - 1]).toBe('▁of');
    expect(v5.encode(text)).toEqual(ids);
    expect(auto.encode(text)).toEqual(ids);
    expect(slow.encode(text)).toEqual(ids);
    expect(pipe.encode(text)[0]!.input_ids).toEqual(ids);
    // The file as the tokenizers library alone runs it does keep the ▁ (the opt-out).
    const raw = await AlbertTokenizerFast.fromPretrained(defaultModel, { maskTokenLstrip: false });
    expect(raw.convertIdsToTokens(raw.encode(text))).toContain('▁');
  });

  it('convertTokensToIds takes one token (a number back, as in Python) or a list', async () => {
    const fast = await AlbertTokenizerFast.fromPretrained(defaultModel);
    const mask: number = fast.convertTokensToIds('[MASK]');
    expect(mask).toBe(fast.maskTokenId);
    expect(fast.convertTokensToIds(['[MASK]', '[CLS]'])).toEqual([fast.maskTokenId, fast.clsTokenId]);
    expect(() => fast.convertTokensToIds(4 as unknown as string)).toThrow(
      /takes a token or a list of tokens, got number \(4\)/,
    );
  });
});
