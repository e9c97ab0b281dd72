// tokenizers' PreTokenizedString: the text cut into splits, each a NormalizedString, some already tokens (added
// tokens, or after the model ran). https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/pre_tokenizer.rs
import type { NormalizedString } from './normalized-string.js';

export interface Token {
  id: number;
  value: string;
  /** Offsets in the split's normalized code points. */
  start: number;
  end: number;
}

export interface Split {
  normalized: NormalizedString;
  tokens?: Token[];
}

export class PreTokenizedString {
  constructor(public splits: Split[]) {}

  /** Replaces every split without tokens by fn(index, split); empty results are dropped. */
  split(fn: (index: number, ns: NormalizedString) => Split[] | NormalizedString[]): void {
    const out: Split[] = [];
    this.splits.forEach((s, i) => {
      if (s.tokens !== undefined) {
        out.push(s);
        return;
      }
      for (const r of fn(i, s.normalized)) {
        const split: Split = 'normalized' in r ? r : { normalized: r };
        if (!split.normalized.isEmpty()) out.push(split);
      }
    });
    this.splits = out;
  }
}
