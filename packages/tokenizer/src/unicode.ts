// Character classes used by the normalizers, as Python / Rust define them.

/** Python's str.isspace() / str.split() whitespace (bidi WS/B/S or category Zs). */
export function isPythonSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c === 0x85 || (c >= 0xa0 && isRustWhitespace(c));
}

/** Python's whitespace (str.isspace / str.split), as a regex character class. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001F are whitespace to Python
const PY_SPACES = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/** Python's `" ".join(s.strip().split())`. */
export function pythonCollapseSpaces(s: string): string {
  const one = s.replace(PY_SPACES, ' ');
  const from = one.charCodeAt(0) === 32 ? 1 : 0;
  const to = one.length > from && one.charCodeAt(one.length - 1) === 32 ? one.length - 1 : one.length;
  return from === 0 && to === one.length ? one : one.slice(from, to);
}

/** Rust's char::is_whitespace (Unicode White_Space). */
export function isRustWhitespace(cp: number): boolean {
  return (
    (cp >= 9 && cp <= 13) ||
    cp === 32 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

const MARK = /\p{M}/u;
const NONSPACING_MARK = /\p{Mn}/u;
/** Rust unicode_categories is_mark_nonspacing (what tokenizers' StripAccents removes). */
export const isNonspacingMark = (ch: string): boolean => NONSPACING_MARK.test(ch);

const cccCache = new Map<number, boolean>();
/**
 * unicodedata.combining(c) != 0 for a character of NFD/NFKD output. JavaScript has no canonical-combining-class API,
 * so this asks the normalizer: a mark with a non-zero class is reordered around U+0334 (ccc 1) or U+0301 (ccc 230),
 * a starter never is. Only category M characters can have a non-zero class.
 */
export function hasCombiningClass(ch: string): boolean {
  if (ch.charCodeAt(0) < 0x300 || !MARK.test(ch)) return false;
  const cp = ch.codePointAt(0)!;
  let r = cccCache.get(cp);
  if (r === undefined) {
    const reorders = (x: string) => `a${ch}${x}`.normalize('NFD') === `a${x}${ch}`.normalize('NFD');
    r = reorders('\u0334') || reorders('\u0301');
    cccCache.set(cp, r);
  }
  return r;
}

/** The text without the characters of a non-zero canonical combining class (runs kept as slices). */
export function withoutCombiningMarks(s: string): string {
  let parts: string[] | undefined;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x300) continue;
    const d = s.charCodeAt(i + 1);
    const wide = c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff;
    const ch = wide ? s.slice(i, i + 2) : s[i]!;
    if (hasCombiningClass(ch)) {
      parts ??= [];
      parts.push(s.slice(last, i));
      last = i + ch.length;
    }
    if (wide) i++;
  }
  if (parts === undefined) return s;
  parts.push(s.slice(last));
  return parts.join('');
}

/** A piece of two or more characters ending in a digit (Python's isdigit) and a comma: transformers re-splits it. */
export function endsWithDigitComma(piece: string): boolean {
  const n = piece.length;
  if (n < 2 || piece.charCodeAt(n - 1) !== 44) return false;
  const c = piece.charCodeAt(n - 2);
  if (c < 0x80) return c >= 48 && c <= 57;
  // the character before the comma, a surrogate pair counted as one
  const prev = c >= 0xdc00 && c <= 0xdfff && n >= 3 ? piece.slice(n - 3, n - 1) : piece[n - 2]!;
  return isPythonDigit(prev);
}

/** Python's str.isdigit() for one character (decimal and digit numeric types). */
const DIGIT =
  /[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u1369-\u1371\u19da]/u;
export const isPythonDigit = (ch: string): boolean => DIGIT.test(ch);

/** Code points of a string. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/** Number of code points of s (a surrogate pair counts one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** UTF-8 length of a code point. */
export function utf8Len(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Code points, as a plain or typed array. */
export type CodePointArray = Int32Array | readonly number[];

/** String of code points cps[start..end), built with native calls in chunks (one spread of a long array would
 * overflow the call stack). */
export function fromCodePoints(cps: CodePointArray, start = 0, end = cps.length): string {
  let s = '';
  for (let i = start; i < end; i += 4096) {
    const chunk = cps.slice(i, Math.min(end, i + 4096)) as number[];
    let bmp = true;
    for (let k = 0; k < chunk.length; k++) if (chunk[k]! > 0xffff) bmp = false;
    s += bmp ? String.fromCharCode.apply(null, chunk) : String.fromCodePoint.apply(null, chunk);
  }
  return s;
}
