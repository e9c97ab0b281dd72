// A string being normalized, with the original range of every normalized character, so that offsets can be mapped
// back to the original text through every normalizer. Ports tokenizers' NormalizedString
// (https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/normalizer.rs), in code points
// instead of UTF-8 bytes: offsets are reported as Python character indices, as `tokenizers` returns them.
import { codePoints, fromCodePoints } from '../unicode.js';

/** Integer storage: typed arrays for long strings (no per-element GC work), plain arrays for short ones (cheap to
 * allocate; most splits are words). */
export type Ints = number[] | Int32Array;
const TYPED_FROM = 2048;

export function allocInts(n: number): Ints {
  if (n >= TYPED_FROM) return new Int32Array(n);
  // pushed, not new Array(n): a packed array keeps element loads monomorphic
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

function sliceInts(a: Ints, start: number, end: number): Ints {
  if (end - start >= TYPED_FROM || !(a instanceof Int32Array)) return a.slice(start, end);
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(a[i]!);
  return out;
}

/** How a split keeps its delimiters (tokenizers' SplitDelimiterBehavior, the variants ALBERT files use). */
export type SplitDelimiterBehavior = 'removed' | 'isolated' | 'mergedWithPrevious' | 'mergedWithNext' | 'contiguous';

/** A replacement list: each output code point with its change (1 inserted, 0 replaces one, -k also removes k). */
export interface Transformation {
  cps: number[];
  changes: number[];
}

export class NormalizedString {
  private str: string | undefined;

  /**
   * @param cps normalized code points
   * @param starts original start (absolute code point index in the input text) of each normalized code point
   * @param ends original end of each normalized code point
   * @param originalStart start of the original range this string covers
   * @param originalEnd end of that range
   */
  constructor(
    public cps: Ints,
    public starts: Ints,
    public ends: Ints,
    readonly originalStart: number,
    readonly originalEnd: number,
  ) {}

  static fromText(text: string, shift = 0): NormalizedString {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff || i === 0) n++;
      else {
        const p = text.charCodeAt(i - 1);
        if (p < 0xd800 || p > 0xdbff) n++;
      }
    }
    const cps = allocInts(n);
    const starts = allocInts(n);
    const ends = allocInts(n);
    let k = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cps[k++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          i++;
          continue;
        }
      }
      cps[k++] = c;
    }
    for (let i = 0; i < n; i++) {
      starts[i] = shift + i;
      ends[i] = shift + i + 1;
    }
    const ns = new NormalizedString(cps, starts, ends, shift, shift + n);
    ns.str = text;
    return ns;
  }

  get length(): number {
    return this.cps.length;
  }

  isEmpty(): boolean {
    return this.cps.length === 0;
  }

  /** The normalized text. */
  get(): string {
    if (this.str === undefined) {
      this.str = fromCodePoints(this.cps);
    }
    return this.str;
  }

  /** Original [start, end) of the normalized range [start, end) (tokenizers' convert_offsets). */
  originalRange(start: number, end: number): [number, number] {
    if (start >= end) return [start, end];
    return [this.starts[start]!, this.ends[end - 1]!];
  }

  /** Replaces normalized [rs, re) by `dest` (tokenizers' transform_range); `initialOffset` chars are removed first. */
  transformRange(rs: number, re: number, dest: Transformation, initialOffset: number): void {
    const { cps, changes } = dest;
    const m = cps.length;
    const n = this.cps.length - (re - rs) + m;
    const newCps = allocInts(n);
    const newStarts = allocInts(n);
    const newEnds = allocInts(n);
    for (let i = 0; i < rs; i++) {
      newCps[i] = this.cps[i]!;
      newStarts[i] = this.starts[i]!;
      newEnds[i] = this.ends[i]!;
    }
    let offset = rs + initialOffset;
    for (let i = 0; i < m; i++) {
      const ch = changes[i]!;
      newCps[rs + i] = cps[i]!;
      if (ch > 0) {
        newStarts[rs + i] = offset < 1 ? this.originalStart : this.starts[offset - 1]!;
        newEnds[rs + i] = offset < 1 ? this.originalStart : this.ends[offset - 1]!;
      } else {
        newStarts[rs + i] = this.starts[offset]!;
        newEnds[rs + i] = this.ends[offset]!;
        offset += 1 - ch;
      }
    }
    for (let i = re, j = rs + m; i < this.cps.length; i++, j++) {
      newCps[j] = this.cps[i]!;
      newStarts[j] = this.starts[i]!;
      newEnds[j] = this.ends[i]!;
    }
    this.cps = newCps;
    this.starts = newStarts;
    this.ends = newEnds;
    this.str = undefined;
  }

  /** Applies a transformation of the whole string (tokenizers' transform). */
  transform(dest: Transformation, initialOffset: number): void {
    this.transformRange(0, this.cps.length, dest, initialOffset);
  }

  /** Maps code points one-for-one (fn returns the new code point, or -1 to keep it): alignments do not change. */
  mapCodePoints(fn: (cp: number) => number): void {
    const cps = this.cps;
    let changed = false;
    for (let i = 0; i < cps.length; i++) {
      const r = fn(cps[i]!);
      if (r >= 0) {
        cps[i] = r;
        changed = true;
      }
    }
    if (changed) this.str = undefined;
  }

  /** Maps every code point to a replacement string (first char replaces, the rest are inserted). */
  mapChars(fn: (cp: number) => string | undefined): void {
    let first = 0;
    while (first < this.cps.length && fn(this.cps[first]!) === undefined) first++;
    if (first === this.cps.length) return;
    if (this.mapInPlace(fn, first)) return;
    const out: Transformation = {
      cps: Array.from(this.cps.slice(0, first)),
      changes: new Array<number>(first).fill(0),
    };
    // Characters removed before any output are skipped with the transformation's initial offset.
    let removedAtStart = 0;
    for (let k = first; k < this.cps.length; k++) {
      const cp = this.cps[k]!;
      const r = fn(cp);
      if (r === undefined) {
        out.cps.push(cp);
        out.changes.push(0);
        continue;
      }
      const rc = codePoints(r);
      if (rc.length === 0) {
        // a removed character is accounted to the previous output character (change -1)
        if (out.changes.length > 0) out.changes[out.changes.length - 1]! -= 1;
        else removedAtStart++;
        continue;
      }
      rc.forEach((c, i) => {
        out.cps.push(c);
        out.changes.push(i === 0 ? 0 : 1);
      });
    }
    this.transform(out, removedAtStart);
  }

  /**
   * One-for-one replacements keep every alignment (each new char replaces one with change 0), so they are applied in
   * place; returns false, changing nothing, when some replacement is not a single code point.
   */
  private mapInPlace(fn: (cp: number) => string | undefined, from: number): boolean {
    const cps = this.cps;
    for (let k = from; k < cps.length; k++) {
      const r = fn(cps[k]!);
      if (r === undefined) continue;
      const c = r.codePointAt(0);
      if (c === undefined || r.length !== (c > 0xffff ? 2 : 1)) return false;
    }
    for (let k = from; k < cps.length; k++) {
      const r = fn(cps[k]!);
      if (r !== undefined) cps[k] = r.codePointAt(0)!;
    }
    this.str = undefined;
    return true;
  }

  /** Replaces single code points in place (one-for-one, so alignments do not change). */
  setChars(replacements: ReadonlyArray<readonly [number, number]>): void {
    for (const [k, c] of replacements) this.cps[k] = c;
    if (replacements.length > 0) this.str = undefined;
  }

  /** Keeps the code points for which keep() is true (tokenizers' filter). */
  filter(keep: (cp: number) => boolean): void {
    let all = true;
    for (let i = 0; i < this.cps.length && all; i++) all = keep(this.cps[i]!);
    if (all) return;
    const out: Transformation = { cps: [], changes: [] };
    let removed = 0;
    let removedStart = 0;
    let last = -1;
    let any = false;
    for (const cp of this.cps) {
      if (keep(cp)) {
        if (last >= 0) {
          out.cps.push(last);
          out.changes.push(-removed);
        } else removedStart = removed;
        last = cp;
        removed = 0;
      } else {
        removed++;
        any = true;
      }
    }
    if (!any) return;
    if (last >= 0) {
      out.cps.push(last);
      out.changes.push(-removed);
    }
    this.transform(out, last >= 0 ? removedStart : this.cps.length);
  }

  /** Replaces each [start, end) match (code point ranges, sorted, disjoint) by `content` (tokenizers' replace). */
  replaceRanges(matches: Array<[number, number]>, content: string): void {
    if (matches.length === 0) return;
    const contentCps = codePoints(content);
    let removed = 0;
    for (const [s, e] of matches) removed += e - s;
    const n = this.cps.length - removed + matches.length * contentCps.length;
    const cps = allocInts(n);
    const starts = allocInts(n);
    const ends = allocInts(n);
    let k = 0;
    let last = 0;
    const copy = (from: number, to: number) => {
      for (let i = from; i < to; i++, k++) {
        cps[k] = this.cps[i]!;
        starts[k] = this.starts[i]!;
        ends[k] = this.ends[i]!;
      }
    };
    for (const [s, e] of matches) {
      copy(last, s);
      // Every inserted char takes the alignment of the last replaced one (transform_range with changes = 1 after
      // removing the whole match).
      const a = e - 1;
      for (const c of contentCps) {
        cps[k] = c;
        starts[k] = a < 0 ? this.originalStart : this.starts[a]!;
        ends[k] = a < 0 ? this.originalStart : this.ends[a]!;
        k++;
      }
      last = e;
    }
    copy(last, this.cps.length);
    this.cps = cps;
    this.starts = starts;
    this.ends = ends;
    this.str = undefined;
  }

  /** Prepends s: its first char takes the first char's alignment (tokenizers' prepend). */
  prepend(s: string): void {
    if (this.cps.length === 0) return;
    const sc = codePoints(s);
    const { cps, starts, ends } = this;
    if (sc.length === 1 && Array.isArray(cps) && Array.isArray(starts) && Array.isArray(ends)) {
      // One char in front: it and the old first char both get the old first char's range.
      cps.unshift(sc[0]!);
      starts.unshift(starts[0]!);
      ends.unshift(ends[0]!);
      this.str = undefined;
      return;
    }
    const first = this.cps[0]!;
    this.transformRange(0, 1, { cps: [...sc, first], changes: [...sc.map((_, i) => (i === 0 ? 0 : 1)), 1] }, 0);
  }

  /** A view of normalized [start, end) (tokenizers' slice with a normalized range). */
  slice(start: number, end: number): NormalizedString {
    const [os, oe] = start < end ? this.originalRange(start, end) : [this.originalStart, this.originalStart];
    return new NormalizedString(
      sliceInts(this.cps, start, end),
      sliceInts(this.starts, start, end),
      sliceInts(this.ends, start, end),
      os,
      oe,
    );
  }

  /** Splits on code points matching `isDelimiter` (tokenizers' split with a char pattern). */
  /**
   * The pieces of split() as [start, end) ranges (flat: start0, end0, start1, …), for the behaviours the ALBERT
   * pre-tokenizers use, without copying anything.
   */
  splitRanges(isDelimiter: (cp: number) => boolean, behavior: 'removed' | 'mergedWithNext'): number[] {
    const n = this.cps.length;
    const cps = this.cps;
    const out: number[] = [];
    if (behavior === 'mergedWithNext') {
      // A delimiter always opens a new piece ("▁▁a" → "▁", "▁a").
      let start = 0;
      for (let i = 1; i < n; i++) {
        if (isDelimiter(cps[i]!)) {
          out.push(start, i);
          start = i;
        }
      }
      if (start < n) out.push(start, n);
      return out;
    }
    let start = -1;
    for (let i = 0; i < n; i++) {
      if (isDelimiter(cps[i]!)) {
        if (start >= 0) out.push(start, i);
        start = -1;
      } else if (start < 0) start = i;
    }
    if (start >= 0) out.push(start, n);
    return out;
  }

  split(isDelimiter: (cp: number) => boolean, behavior: SplitDelimiterBehavior): NormalizedString[] {
    const n = this.cps.length;
    if (behavior === 'mergedWithNext' || behavior === 'removed') {
      const r = this.splitRanges(isDelimiter, behavior);
      const out: NormalizedString[] = [];
      for (let i = 0; i < r.length; i += 2) out.push(this.slice(r[i]!, r[i + 1]!));
      return out;
    }
    // (start, end, isMatch) runs covering the string: every delimiter alone, non-delimiters merged.
    const runs: Array<[number, number, boolean]> = [];
    let runStart = 0;
    for (let i = 0; i < n; i++) {
      if (isDelimiter(this.cps[i]!)) {
        if (runStart < i) runs.push([runStart, i, false]);
        runs.push([i, i + 1, true]);
        runStart = i + 1;
      }
    }
    if (runStart < n) runs.push([runStart, n, false]);
    return this.splitRuns(runs, behavior);
  }

  splitRuns(runs: Array<[number, number, boolean]>, behavior: SplitDelimiterBehavior): NormalizedString[] {
    let pieces: Array<[number, number]> = [];
    switch (behavior) {
      case 'removed':
        pieces = runs.filter((r) => !r[2]).map((r) => [r[0], r[1]]);
        break;
      case 'isolated':
        pieces = runs.map((r) => [r[0], r[1]]);
        break;
      case 'contiguous': {
        let prevMatch = false;
        for (const [s, e, m] of runs) {
          const lastPiece = pieces[pieces.length - 1];
          if (m && prevMatch && lastPiece) lastPiece[1] = e;
          else pieces.push([s, e]);
          prevMatch = m;
        }
        break;
      }
      case 'mergedWithPrevious': {
        let prevMatch = false;
        for (const [s, e, m] of runs) {
          const lastPiece = pieces[pieces.length - 1];
          if (m && !prevMatch && lastPiece) lastPiece[1] = e;
          else pieces.push([s, e]);
          prevMatch = m;
        }
        break;
      }
      case 'mergedWithNext': {
        let prevMatch = false;
        const rev: Array<[number, number]> = [];
        for (let i = runs.length - 1; i >= 0; i--) {
          const [s, e, m] = runs[i]!;
          const lastPiece = rev[rev.length - 1];
          if (m && !prevMatch && lastPiece) lastPiece[0] = s;
          else rev.push([s, e]);
          prevMatch = m;
        }
        pieces = rev.reverse();
        break;
      }
    }
    return pieces.map(([s, e]) => this.slice(s, e));
  }
}
