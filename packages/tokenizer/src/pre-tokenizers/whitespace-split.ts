// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/whitespace.rs (WhitespaceSplit)
import type { PreTokenizedString, Split } from '../pipeline/pre-tokenized-string.js';
import { isRustWhitespace } from '../unicode.js';
import type { PreTokenizer } from './pre-tokenizer.js';

export class WhitespaceSplitPreTokenizer implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_i, ns) => {
      const r = ns.splitRanges(isRustWhitespace, 'removed');
      const out: Split[] = [];
      for (let i = 0; i < r.length; i += 2) out.push({ normalized: ns, start: r[i]!, end: r[i + 1]! });
      return out;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: 'WhitespaceSplit' };
  }
}
