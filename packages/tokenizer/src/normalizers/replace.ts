// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/replace.rs
import type { NormalizedString } from '../pipeline/normalized-string.js';
import { findMatches, type ReplacePattern } from '../pipeline/pattern.js';
import type { Normalizer } from './normalizer.js';

export class ReplaceNormalizer implements Normalizer {
  constructor(
    readonly pattern: ReplacePattern,
    readonly content: string,
  ) {}
  normalize(ns: NormalizedString): void {
    ns.replaceRanges(
      findMatches(ns.get(), this.pattern)
        .filter((m) => m[2])
        .map((m) => [m[0], m[1]]),
      this.content,
    );
  }
  toJSON(): Record<string, unknown> {
    return { type: 'Replace', pattern: this.pattern.json, content: this.content };
  }
}
