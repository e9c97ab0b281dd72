// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/strip.rs (Strip)
import type { NormalizedString } from '../pipeline/normalized-string.js';
import { isRustWhitespace } from '../unicode.js';
import type { Normalizer } from './normalizer.js';

export class StripNormalizer implements Normalizer {
  constructor(
    readonly left: boolean,
    readonly right: boolean,
  ) {}
  normalize(ns: NormalizedString): void {
    const n = ns.cps.length;
    let s = 0;
    let e = n;
    if (this.left) while (s < e && isRustWhitespace(ns.cps[s]!)) s++;
    if (this.right) while (e > s && isRustWhitespace(ns.cps[e - 1]!)) e--;
    if (s === 0 && e === n) return;
    const cps = Array.from(ns.cps.slice(s, e));
    const changes = cps.map(() => 0);
    if (changes.length > 0) changes[changes.length - 1] = -(n - e);
    ns.transform({ cps, changes }, s);
  }
  toJSON(): Record<string, unknown> {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}
