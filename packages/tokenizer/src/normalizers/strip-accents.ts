// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/strip.rs (StripAccents: removes
// every combining mark, unicode_normalization_alignments::char::is_combining_mark = General_Category Mark)
import type { NormalizedString } from '../pipeline/normalized-string.js';
import type { Normalizer } from './normalizer.js';

const MARK = /\p{M}/u;
const isMark = (cp: number): boolean => cp >= 0x300 && MARK.test(String.fromCodePoint(cp));

export class StripAccentsNormalizer implements Normalizer {
  normalize(ns: NormalizedString): void {
    ns.filter((cp) => !isMark(cp));
  }
  toJSON(): Record<string, unknown> {
    return { type: 'StripAccents' };
  }
}
