// tokenizers' PreTokenizedString: the text cut into splits, each a NormalizedString, some already tokens (added
// tokens, or after the model ran). https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/pre_tokenizer.rs
import { fromCodePoints } from '../unicode.js';
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
  /** When set, the split is normalized[start, end): words stay ranges of their parent until something changes them. */
  start?: number;
  end?: number;
}

/** The split's own NormalizedString (a range is copied out). */
export function materialize(split: Split): NormalizedString {
  return split.start === undefined ? split.normalized : split.normalized.slice(split.start, split.end!);
}

/** The split's normalized text. */
export function splitText(split: Split): string {
  const ns = split.normalized;
  return split.start === undefined ? ns.get() : fromCodePoints(ns.cps, split.start, split.end);
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
      for (const r of fn(i, materialize(s))) {
        const split: Split = 'normalized' in r ? r : { normalized: r };
        if (split.start !== undefined ? split.start < split.end! : !split.normalized.isEmpty()) out.push(split);
      }
    });
    this.splits = out;
  }
}
