// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/whitespace.rs (WhitespaceSplit)
import type { PreTokenizedString } from '../pipeline/pre-tokenized-string.js';
import { isRustWhitespace } from '../unicode.js';
import type { PreTokenizer } from './pre-tokenizer.js';

export class WhitespaceSplitPreTokenizer implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_i, ns) => ns.split(isRustWhitespace, 'removed'));
  }
  toJSON(): Record<string, unknown> {
    return { type: 'WhitespaceSplit' };
  }
}
