// Lookups over reference-unicode.ts: the characters whose normalization or mark status tokenizers' (older) Unicode
// tables see differently from this engine's ICU.
import { NORMALIZATION_UNKNOWN, STRIP_ACCENTS_KEEPS, STRIP_ACCENTS_REMOVES } from './reference-unicode.js';

function toSet(ranges: ReadonlyArray<readonly [number, number]>): Set<number> {
  const s = new Set<number>();
  for (const [a, b] of ranges) for (let cp = a; cp <= b; cp++) s.add(cp);
  return s;
}

let unknown: Set<number> | undefined;
let keeps: Set<number> | undefined;
let removes: Set<number> | undefined;

/** A character tokenizers' normalizers do not know: it has no decomposition and combining class 0 there. */
export function unknownToReferenceNormalizer(cp: number): boolean {
  unknown ??= toSet(NORMALIZATION_UNKNOWN);
  return unknown.has(cp);
}

const MARK = /\p{M}/u;
/** tokenizers' StripAccents test (is_combining_mark: General_Category M in its Unicode version). */
export function isReferenceMark(cp: number): boolean {
  if (cp < 0x300) return false;
  keeps ??= toSet(STRIP_ACCENTS_KEEPS);
  removes ??= toSet(STRIP_ACCENTS_REMOVES);
  if (removes.has(cp)) return true;
  return MARK.test(String.fromCodePoint(cp)) && !keeps.has(cp);
}

const PLACEHOLDER = 0xe000;
/**
 * `text.normalize(form)` as tokenizers' tables would give it: characters unknown to them stand in as a private-use
 * starter (no decomposition, class 0, composes with nothing) and are put back afterwards, in order.
 */
export function referenceNormalize(cps: ArrayLike<number>, form: 'NFD' | 'NFKD' | 'NFC' | 'NFKC'): number[] {
  let s = '';
  const held: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    if (cp === PLACEHOLDER || unknownToReferenceNormalizer(cp)) {
      held.push(cp);
      s += String.fromCharCode(PLACEHOLDER);
    } else s += String.fromCodePoint(cp);
  }
  const out: number[] = [];
  let k = 0;
  for (const ch of s.normalize(form)) {
    const cp = ch.codePointAt(0)!;
    out.push(cp === PLACEHOLDER ? held[k++]! : cp);
  }
  return out;
}
