// AlbertTokenizer (sentencepiece mode) from spiece.model + tokenizer_config.json against `slow_tokens` / `slow_ids`:
// the reference is sentencepiece's own encode with transformers 4's preprocessing, without special-token splitting,
// which is AlbertTokenizer.tokenize(text, { splitSpecialTokens: true }).
import { AlbertTokenizer, parseTokenizerConfig } from '@albertjs/tokenizer';
import { describe, expect, it } from 'vitest';
import { caseFolders, Tally } from './tokenizer-cases.js';

describe('AlbertTokenizer (spiece.model) ↔ slow_tokens / slow_ids', () => {
  for (const folder of caseFolders()) {
    it(folder.fx.name, () => {
      const cfg = parseTokenizerConfig(folder.text('tokenizer_config.json'));
      const tok = AlbertTokenizer.fromSentencePiece(folder.file('spiece.model'), cfg);
      expect(tok.doLowerCase).toBe(folder.cases.options.do_lower_case);
      expect(tok.keepAccents).toBe(folder.cases.options.keep_accents);
      const t = new Tally(folder.fx.name, 'slow');
      folder.cases.singles.forEach((c, i) => {
        t.check(`#${i} ${JSON.stringify(c.text).slice(0, 60)}`, () => {
          const tokens = tok.tokenize(c.text, { splitSpecialTokens: true });
          return [
            ['slow_tokens', tokens, c.slow_tokens],
            ['slow_ids', tok.convertTokensToIds(tokens), c.slow_ids],
          ];
        });
      });
      console.log(t.summary());
      expect(t.failures).toEqual([]);
      expect(t.agree).toBe(folder.cases.singles.length);
    });
  }

  it('splits literal special tokens out of the text, [MASK] taking the space on its left', () => {
    const folder = caseFolders()[0]!;
    const tok = AlbertTokenizer.fromSentencePiece(
      folder.file('spiece.model'),
      parseTokenizerConfig(folder.text('tokenizer_config.json')),
    );
    const plain = (s: string) => tok.tokenize(s, { splitSpecialTokens: true });
    expect(tok.tokenize('The [MASK] sat [SEP]x')).toEqual([
      ...plain('The'),
      '[MASK]',
      ...plain(' sat '),
      '[SEP]',
      ...plain('x'),
    ]);
    expect(tok.call('a [MASK]', { returnSpecialTokensMask: true }).input_ids).toEqual([
      tok.clsTokenId,
      ...tok.convertTokensToIds(plain('a')),
      tok.maskTokenId,
      tok.sepTokenId,
    ]);
  });
});
