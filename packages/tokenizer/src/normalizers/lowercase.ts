// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/utils.rs (Lowercase: Rust's
// char::to_lowercase per character, no final-sigma context)
import type { NormalizedString } from '../pipeline/normalized-string.js';
import type { Normalizer } from './normalizer.js';

export class LowercaseNormalizer implements Normalizer {
  normalize(ns: NormalizedString): void {
    // Fast path: ASCII text only changes A-Z, one for one.
    let ascii = true;
    for (let i = 0; i < ns.cps.length && ascii; i++) ascii = ns.cps[i]! < 0x80;
    if (ascii) {
      ns.mapCodePoints((cp) => (cp >= 65 && cp <= 90 ? cp + 32 : -1));
      return;
    }
    ns.mapChars((cp) => {
      if (cp < 0x80) return cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : undefined;
      const s = String.fromCodePoint(cp);
      const l = s.toLowerCase();
      return l === s ? undefined : l;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: 'Lowercase' };
  }
}
