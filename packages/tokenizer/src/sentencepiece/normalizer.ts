// sentencepiece's Normalizer::Normalize with a precompiled charsmap (without offset tracking, which AlbertTokenizer's
// sentencepiece mode does not expose): user-defined symbols pass through untouched, otherwise the longest charsmap rule
// applies, leading/trailing/duplicate whitespace is removed, a dummy "▁" prefix is added and spaces become "▁".
// https://github.com/google/sentencepiece/blob/master/src/normalizer.cc (Normalize, NormalizePrefix)

import { PieceTrie } from '../models/piece-trie.js';
import type { PrecompiledCharsmap } from './charsmap.js';
import type { NormalizerSpec } from './model-proto.js';

const SPACE = 0x20;
const META = [0xe2, 0x96, 0x81]; // "▁"
const REPLACEMENT_CHAR = new Uint8Array([0xef, 0xbf, 0xbd]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function oneCharLen(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

class ByteBuffer {
  bytes = new Uint8Array(64);
  length = 0;
  push(b: number): void {
    if (this.length === this.bytes.length) {
      const n = new Uint8Array(this.bytes.length * 2);
      n.set(this.bytes);
      this.bytes = n;
    }
    this.bytes[this.length++] = b;
  }
  endsWith(tail: readonly number[]): boolean {
    if (this.length < tail.length) return false;
    for (let i = 0; i < tail.length; i++) if (this.bytes[this.length - tail.length + i] !== tail[i]) return false;
    return true;
  }
}

/** Reused between calls (normalization is synchronous): the input's UTF-8 and the output. */
let inputBytes = new Uint8Array(1024);
const out = new ByteBuffer();

export class SentencePieceNormalizer {
  /** Byte trie of the user-defined symbols (sentencepiece's PrefixMatcher). */
  private readonly userDefined = new PieceTrie();
  private hasUserDefined = false;
  /**
   * For an ASCII byte whose rule does not depend on what follows (no user-defined symbol starts with it, no charsmap
   * key starts with it and another ASCII byte): its one-byte replacement; -1 otherwise.
   */
  private readonly asciiOut = new Int16Array(128).fill(-1);
  /** asciiPair[b * 128 + c]: some charsmap key starts with the ASCII bytes b c. */
  private readonly asciiPair = new Uint8Array(128 * 128);

  constructor(
    private readonly spec: NormalizerSpec,
    private readonly charsmap: PrecompiledCharsmap | undefined,
    userDefinedSymbols: readonly string[],
  ) {
    const userFirst = new Set<number>();
    for (const s of userDefinedSymbols) {
      const bytes = Array.from(encoder.encode(s));
      this.userDefined.insert(bytes, 1);
      this.hasUserDefined = true;
      if (bytes.length) userFirst.add(bytes[0]!);
    }
    for (let b = 0; b < 128; b++) {
      if (userFirst.has(b)) continue;
      if (charsmap) for (let c = 1; c < 128; c++) if (charsmap.walks([b, c])) this.asciiPair[b * 128 + c] = 1;
      const [r, len] = this.normalizePrefix(new Uint8Array([b]), 0);
      if (len === 1 && r.length === 1) this.asciiOut[b] = r[0]!;
    }
  }

  /** [replacement bytes (or a view of the input), bytes consumed] for the longest rule at input[pos..]. */
  private normalizePrefix(input: Uint8Array, pos: number): [Uint8Array, number] {
    if (this.hasUserDefined) {
      let node = 0;
      let longest = 0;
      for (let i = pos; i < input.length; i++) {
        const next = this.userDefined.next(node, input[i]!);
        if (next < 0) break;
        node = next;
        if (this.userDefined.values[node]! >= 0) longest = i - pos + 1;
      }
      if (longest > 0) return [input.subarray(pos, pos + longest), longest];
    }
    if (this.charsmap !== undefined) {
      const m = this.charsmap.longestMatch(input, pos, input.length);
      if (m !== undefined) return [m[1], m[0]];
    }
    const len = oneCharLen(input[pos]!);
    if (pos + len > input.length || (input[pos]! >= 0x80 && input[pos]! < 0xc0)) return [REPLACEMENT_CHAR, 1];
    return [input.subarray(pos, pos + len), len];
  }

  normalize(text: string): string {
    if (inputBytes.length < 3 * text.length)
      inputBytes = new Uint8Array(Math.max(3 * text.length, 2 * inputBytes.length));
    const size = encoder.encodeInto(text, inputBytes).written;
    const input = inputBytes.subarray(0, size);
    const { removeExtraWhitespaces, addDummyPrefix, escapeWhitespaces } = this.spec;
    const { asciiOut, asciiPair } = this;
    let pos = 0;
    if (removeExtraWhitespaces) {
      while (pos < input.length) {
        const [sp, len] = this.normalizePrefix(input, pos);
        if (!(sp.length === 1 && sp[0] === SPACE)) break;
        pos += len;
      }
    }
    if (pos >= input.length) return '';
    out.length = 0;
    const addSpace = () => {
      if (escapeWhitespaces) for (const b of META) out.push(b);
      else out.push(SPACE);
    };
    if (addDummyPrefix) addSpace();
    let isPrevSpace = removeExtraWhitespaces;
    while (pos < input.length) {
      // ASCII with an ASCII (or no) byte after it and a context-free rule: one byte out, no lookup.
      const b = input[pos]!;
      const r = b < 0x80 ? asciiOut[b]! : -1;
      if (r >= 0) {
        const next = pos + 1 < input.length ? input[pos + 1]! : 0;
        if (next < 0x80 && asciiPair[b * 128 + next] === 0) {
          if (!(isPrevSpace && r === SPACE)) {
            if (escapeWhitespaces && r === SPACE) addSpace();
            else out.push(r);
            isPrevSpace = r === SPACE;
          }
          pos++;
          if (!removeExtraWhitespaces) isPrevSpace = false;
          continue;
        }
      }
      const [sp, len] = this.normalizePrefix(input, pos);
      let k = 0;
      if (isPrevSpace) while (k < sp.length && sp[k] === SPACE) k++;
      if (k < sp.length) {
        for (let i = k; i < sp.length; i++) {
          if (escapeWhitespaces && sp[i] === SPACE) addSpace();
          else out.push(sp[i]!);
        }
        isPrevSpace = sp[sp.length - 1] === SPACE;
      }
      pos += len;
      if (!removeExtraWhitespaces) isPrevSpace = false;
    }
    if (removeExtraWhitespaces) {
      const space = escapeWhitespaces ? META : [SPACE];
      while (out.endsWith(space)) out.length -= space.length;
    }
    return decoder.decode(out.bytes.subarray(0, out.length));
  }
}
