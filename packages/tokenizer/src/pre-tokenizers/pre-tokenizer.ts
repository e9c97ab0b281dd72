import type { PreTokenizedString } from '../pipeline/pre-tokenized-string.js';

/** A tokenizer.json pre-tokenizer: cuts the splits of a PreTokenizedString further. */
export interface PreTokenizer {
  preTokenize(pts: PreTokenizedString): void;
  toJSON(): Record<string, unknown>;
}
