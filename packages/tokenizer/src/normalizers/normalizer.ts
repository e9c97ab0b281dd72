import type { NormalizedString } from '../pipeline/normalized-string.js';

/** A tokenizer.json normalizer: rewrites a NormalizedString in place, keeping alignments. */
export interface Normalizer {
  normalize(ns: NormalizedString): void;
  /** The tokenizer.json object it was built from. */
  toJSON(): Record<string, unknown>;
}
