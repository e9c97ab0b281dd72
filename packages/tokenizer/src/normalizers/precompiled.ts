// tokenizers' Precompiled normalizer: sentencepiece's charsmap applied per grapheme cluster (a whole cluster under 6
// UTF-8 bytes if a rule matches it, else character by character), the shortest matching rule replacing the chunk.
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/normalizers/precompiled.rs

import { bytesToBase64 } from '../base64.js';
import { graphemeLengths } from '../pipeline/graphemes.js';
import type { NormalizedString, Transformation } from '../pipeline/normalized-string.js';
import { PrecompiledCharsmap } from '../sentencepiece/charsmap.js';
import { type CodePointArray, codePoints, utf8Len } from '../unicode.js';
import type { Normalizer } from './normalizer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NONE: number[] = [];

export class PrecompiledNormalizer implements Normalizer {
  readonly charsmap: PrecompiledCharsmap;
  /** chunk → replacement code points, or NONE when no rule matches. */
  private readonly cache = new Map<string, number[]>();
  private readonly single = new Map<number, number[]>();
  /** Replacements of BMP code points, by code point. */
  private readonly bmp: Array<number[] | undefined> = new Array(0x10000);

  constructor(readonly blob: Uint8Array) {
    this.charsmap = new PrecompiledCharsmap(blob);
  }

  private transformChunk(cps: CodePointArray, start: number, end: number): number[] | undefined {
    const key = String.fromCodePoint(...cps.slice(start, end));
    let r = this.cache.get(key);
    if (r === undefined) {
      const m = this.charsmap.firstMatch(encoder.encode(key));
      r = m === undefined ? NONE : codePoints(decoder.decode(m));
      if (this.cache.size > 50000) this.cache.clear();
      this.cache.set(key, r);
    }
    return r === NONE ? undefined : r;
  }

  /** Replacement of one code point, cached by code point. */
  private transformOne(cp: number): number[] | undefined {
    let r = cp < 0x10000 ? this.bmp[cp] : this.single.get(cp);
    if (r === undefined) {
      const m = this.charsmap.firstMatch(encoder.encode(String.fromCodePoint(cp)));
      r = m === undefined ? NONE : codePoints(decoder.decode(m));
      if (cp < 0x10000) this.bmp[cp] = r;
      else this.single.set(cp, r);
    }
    return r === NONE ? undefined : r;
  }

  /** True when every grapheme is one code point: ASCII text without CR LF. */
  private static asciiGraphemes(cps: CodePointArray): boolean {
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c >= 0x80 || (c === 13 && cps[i + 1] === 10)) return false;
    }
    return true;
  }

  normalize(ns: NormalizedString): void {
    const cps = ns.cps;
    // Fast path: ASCII text whose rules replace characters one-for-one keeps its alignments and changes in place.
    if (PrecompiledNormalizer.asciiGraphemes(cps)) {
      let simple = true;
      for (let i = 0; i < cps.length && simple; i++) {
        const r = this.transformOne(cps[i]!);
        if (r !== undefined && r.length !== 1) simple = false;
      }
      if (simple) {
        const inPlace: Array<[number, number]> = [];
        for (let i = 0; i < cps.length; i++) {
          const r = this.transformOne(cps[i]!);
          if (r !== undefined && r[0] !== cps[i]) inPlace.push([i, r[0]!]);
        }
        ns.setChars(inPlace);
        return;
      }
    }
    const glens = graphemeLengths(cps);
    const out: Transformation = { cps: [], changes: [] };
    let modified = false;
    const replace = (oldCount: number, repl: number[]) => {
      modified = true;
      for (const c of repl) {
        out.cps.push(c);
        out.changes.push(0);
      }
      const diff = repl.length - oldCount;
      if (diff > 0) for (let k = 0; k < diff; k++) out.changes[out.changes.length - 1 - k] = 1;
      else if (diff < 0 && out.changes.length > 0) out.changes[out.changes.length - 1]! += diff;
    };
    let pos = 0;
    for (const glen of glens) {
      const end = pos + glen;
      let bytes = 0;
      for (let k = pos; k < end; k++) bytes += utf8Len(cps[k]!);
      if (bytes < 6) {
        const r = glen === 1 ? this.transformOne(cps[pos]!) : this.transformChunk(cps, pos, end);
        if (r !== undefined) {
          replace(glen, r);
          pos = end;
          continue;
        }
      }
      for (let k = pos; k < end; k++) {
        const r = glen === 1 && bytes < 6 ? undefined : this.transformOne(cps[k]!);
        if (r !== undefined) replace(1, r);
        else {
          out.cps.push(cps[k]!);
          out.changes.push(0);
        }
      }
      pos = end;
    }
    if (modified) ns.transform(out, 0);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Precompiled', precompiled_charsmap: bytesToBase64(this.blob) };
  }
}
