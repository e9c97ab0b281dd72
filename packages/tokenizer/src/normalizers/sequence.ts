// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/utils.rs (Sequence)
import type { NormalizedString } from '../pipeline/normalized-string.js';
import type { Normalizer } from './normalizer.js';

export class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: Normalizer[]) {}
  normalize(ns: NormalizedString): void {
    for (const n of this.normalizers) n.normalize(ns);
  }
  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
