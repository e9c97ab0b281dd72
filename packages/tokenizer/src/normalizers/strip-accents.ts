// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/strip.rs (StripAccents: removes
// every combining mark, unicode_normalization_alignments::char::is_combining_mark = General_Category Mark, in that
// crate's Unicode version: see reference-tables.ts)
import type { NormalizedString } from '../pipeline/normalized-string.js';
import type { Normalizer } from './normalizer.js';
import { isReferenceMark } from './reference-tables.js';

export class StripAccentsNormalizer implements Normalizer {
  normalize(ns: NormalizedString): void {
    ns.filter((cp) => !isReferenceMark(cp));
  }
  toJSON(): Record<string, unknown> {
    return { type: 'StripAccents' };
  }
}
