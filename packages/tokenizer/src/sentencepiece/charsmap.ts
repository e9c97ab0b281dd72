// sentencepiece's precompiled charsmap: [u32le trie size][Darts double-array trie units][NUL-terminated replacements].
// Ports Darts' DoubleArray::commonPrefixSearch as used by
// https://github.com/google/sentencepiece/blob/master/src/normalizer.cc (NormalizePrefix, longest match) and by
// https://github.com/huggingface/spm_precompiled/blob/master/src/lib.rs (transform: first, i.e. shortest, match).
import { TokenizerFileError } from '../errors.js';

const LEAF_BIT = 1 << 8;

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  /** The replacement pool (NUL-terminated UTF-8 strings). */
  private readonly pool: Uint8Array;
  private readonly decoded = new Map<number, Uint8Array>();

  constructor(readonly blob: Uint8Array) {
    if (blob.length < 4)
      throw new TokenizerFileError(`precompiled_charsmap is ${blob.length} bytes, shorter than its 4-byte header`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > blob.length)
      throw new TokenizerFileError(
        `precompiled_charsmap declares a ${trieSize}-byte trie but holds ${blob.length - 4} bytes`,
      );
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.pool = blob.subarray(4 + trieSize);
    if (this.units.length === 0) throw new TokenizerFileError('precompiled_charsmap has an empty trie');
  }

  /**
   * Walks the trie along key[start..end) and reports each prefix that is a key: onMatch(length, value) returns false to stop.
   * A NUL byte ends the key (as Darts does with C strings).
   */
  private search(
    key: Uint8Array,
    start: number,
    end: number,
    onMatch: (length: number, value: number) => boolean,
  ): void {
    const u = this.units;
    let pos = offsetOf(u[0]!);
    for (let i = start; i < end; i++) {
      const c = key[i]!;
      if (c === 0) return;
      pos ^= c;
      const unit = u[pos];
      // label(): unit & ((1 << 31) | 0xff); a leaf unit has bit 31 set and never equals a byte.
      if (unit === undefined || (unit & 0x800000ff) >>> 0 !== c) return;
      pos ^= offsetOf(unit);
      if (unit & LEAF_BIT) {
        const leaf = u[pos];
        if (leaf === undefined) return;
        if (!onMatch(i - start + 1, leaf & 0x7fffffff)) return;
      }
    }
  }

  /** Whether key[0..n) is a path of the trie (a key, or the start of a longer one). */
  walks(key: readonly number[]): boolean {
    const u = this.units;
    let pos = offsetOf(u[0]!);
    for (const c of key) {
      pos ^= c;
      const unit = u[pos];
      if (unit === undefined || (unit & 0x800000ff) >>> 0 !== c) return false;
      pos ^= offsetOf(unit);
    }
    return true;
  }

  /** Longest rule matching a prefix of key[start..end): [length, replacement] (sentencepiece's NormalizePrefix). */
  longestMatch(key: Uint8Array, start: number, end: number): [number, Uint8Array] | undefined {
    let best = 0;
    let value = 0;
    this.search(key, start, end, (len, v) => {
      if (len > best) {
        best = len;
        value = v;
      }
      return true;
    });
    return best === 0 ? undefined : [best, this.replacement(value)];
  }

  /** Replacement of the shortest rule matching a prefix of key (spm_precompiled's `transform`). */
  firstMatch(key: Uint8Array): Uint8Array | undefined {
    let value = -1;
    this.search(key, 0, key.length, (_len, v) => {
      value = v;
      return false;
    });
    return value < 0 ? undefined : this.replacement(value);
  }

  private replacement(value: number): Uint8Array {
    let r = this.decoded.get(value);
    if (r === undefined) {
      if (value > this.pool.length)
        throw new TokenizerFileError(
          `precompiled_charsmap points at replacement ${value} past its ${this.pool.length}-byte pool`,
        );
      let end = value;
      while (end < this.pool.length && this.pool[end] !== 0) end++;
      r = this.pool.subarray(value, end);
      this.decoded.set(value, r);
    }
    return r;
  }
}
