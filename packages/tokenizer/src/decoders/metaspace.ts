// tokenizers' Metaspace decoder: "▁" becomes a space, and the first token loses its "▁" unless prepend_scheme is never.
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/metaspace.rs (decode_chain)
import type { PrependScheme } from '../pre-tokenizers/metaspace.js';

export class MetaspaceDecoder {
  constructor(
    readonly replacement: string,
    readonly prependScheme: PrependScheme,
    readonly splitWords: boolean,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => {
      let out = '';
      for (const ch of t) {
        if (ch === this.replacement) {
          if (!(i === 0 && this.prependScheme !== 'never')) out += ' ';
        } else out += ch;
      }
      return out;
    });
  }

  decode(tokens: string[]): string {
    return this.decodeChain(tokens).join('');
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'Metaspace',
      replacement: this.replacement,
      prepend_scheme: this.prependScheme,
      split: this.splitWords,
    };
  }
}
