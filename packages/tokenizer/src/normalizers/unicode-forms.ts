// tokenizers' NFD / NFKD / NFC / NFKC normalizers with alignments
// (https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/unicode.rs, which uses
// unicode-normalization-alignments: a decomposed character's first part replaces it, the others are inserted; marks
// moved by canonical reordering keep their alignment).
import type { NormalizedString, Transformation } from '../pipeline/normalized-string.js';
import { type CodePointArray, codePoints } from '../unicode.js';
import type { Normalizer } from './normalizer.js';
import { referenceNormalize, unknownToReferenceNormalizer } from './reference-tables.js';

export type UnicodeForm = 'NFD' | 'NFKD' | 'NFC' | 'NFKC';

function isAscii(cps: CodePointArray): boolean {
  for (let i = 0; i < cps.length; i++) if (cps[i]! >= 0x80) return false;
  return true;
}

/** Per-character decomposition, then reordered to the order of the whole-string normalization. */
function decompose(cps: CodePointArray, form: 'NFD' | 'NFKD'): Transformation {
  const out: Transformation = { cps: [], changes: [] };
  for (const cp of cps) {
    if (cp < 0xa0 || unknownToReferenceNormalizer(cp)) {
      out.cps.push(cp);
      out.changes.push(0);
      continue;
    }
    const d = codePoints(String.fromCodePoint(cp).normalize(form));
    d.forEach((c, i) => {
      out.cps.push(c);
      out.changes.push(i === 0 ? 0 : 1);
    });
  }
  // Canonical reordering across character boundaries: move marks to where the full normalization puts them.
  let whole: number[] | undefined;
  for (let i = 0; i < out.cps.length; i++) {
    whole ??= referenceNormalize(cps, form);
    if (out.cps[i] === whole[i]) continue;
    let j = i + 1;
    while (j < out.cps.length && out.cps[j] !== whole[i]) j++;
    if (j === out.cps.length) break;
    const [c] = out.cps.splice(j, 1);
    const [ch] = out.changes.splice(j, 1);
    out.cps.splice(i, 0, c!);
    out.changes.splice(i, 0, ch!);
  }
  return out;
}

function hasReorderableContent(ns: NormalizedString, form: UnicodeForm): boolean {
  if (isAscii(ns.cps)) return false;
  const s = ns.get();
  return s.normalize(form) !== s;
}

/** Composition after decomposition: each starter with the marks that follow it is composed as a unit. */
function compose(dec: Transformation, form: 'NFC' | 'NFKC'): Transformation {
  const out: Transformation = { cps: [], changes: [] };
  const n = dec.cps.length;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    // A segment: a character and the following ones that may combine with it (non-starters, Hangul V/T jamo).
    while (j < n) {
      const c = dec.cps[j]!;
      const s = String.fromCodePoint(c);
      const combines =
        (String.fromCodePoint(dec.cps[j - 1]!) + s).normalize('NFC').length <
        2 + (dec.cps[j - 1]! > 0xffff ? 1 : 0) + (c > 0xffff ? 1 : 0);
      // Hangul vowel and trailing jamo compose with the syllable before them (L V T → LVT in one segment).
      const jamo = (c >= 0x1161 && c <= 0x1175) || (c >= 0x11a8 && c <= 0x11c2);
      if (!(/\p{M}/u.test(s) || jamo || combines)) break;
      j++;
    }
    const seg = dec.cps.slice(i, j);
    let composed = referenceNormalize(seg, form);
    // A composition into a character the reference does not know does not happen there.
    if (composed.some((c) => unknownToReferenceNormalizer(c) && !seg.includes(c))) composed = seg;
    if (composed.length === seg.length) {
      for (let k = 0; k < seg.length; k++) {
        out.cps.push(composed[k]!);
        out.changes.push(dec.changes[i + k]!);
      }
    } else {
      let segChange = 0;
      for (let k = 0; k < seg.length; k++) segChange += dec.changes[i + k]!;
      composed.forEach((c, k) => {
        out.cps.push(c);
        out.changes.push(k === 0 ? segChange - (seg.length - composed.length) : 0);
      });
    }
    i = j;
  }
  return out;
}

export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}
  normalize(ns: NormalizedString): void {
    if (!hasReorderableContent(ns, this.form)) return;
    const dec = decompose(ns.cps, this.form === 'NFC' || this.form === 'NFD' ? 'NFD' : 'NFKD');
    ns.transform(this.form === 'NFC' || this.form === 'NFKC' ? compose(dec, this.form) : dec, 0);
  }
  toJSON(): Record<string, unknown> {
    return { type: this.form };
  }
}
