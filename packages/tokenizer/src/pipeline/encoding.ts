// tokenizers' Encoding: ids, tokens, type ids, offsets, masks, overflowing windows; truncate, merge and pad as
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/encoding.rs does.
import { TokenizerInputError } from '../errors.js';

export type Offset = [number, number];

/** dst.push(...src) without the argument-count limit of spreading long arrays. */
function append<T>(dst: T[], src: readonly T[]): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!);
}

export class Encoding {
  constructor(
    public ids: number[] = [],
    public typeIds: number[] = [],
    public tokens: string[] = [],
    public offsets: Offset[] = [],
    public specialTokensMask: number[] = [],
    public attentionMask: number[] = [],
    public overflowing: Encoding[] = [],
    /** Which input sequence (0 or 1) each token comes from; null for special tokens and padding. */
    public sequenceIds: Array<number | null> = [],
  ) {}

  get length(): number {
    return this.ids.length;
  }

  clone(): Encoding {
    return new Encoding(
      [...this.ids],
      [...this.typeIds],
      [...this.tokens],
      this.offsets.map((o) => [o[0], o[1]] as Offset),
      [...this.specialTokensMask],
      [...this.attentionMask],
      this.overflowing.map((o) => o.clone()),
      [...this.sequenceIds],
    );
  }

  private slice(start: number, stop: number): Encoding {
    return new Encoding(
      this.ids.slice(start, stop),
      this.typeIds.slice(start, stop),
      this.tokens.slice(start, stop),
      this.offsets.slice(start, stop),
      this.specialTokensMask.slice(start, stop),
      this.attentionMask.slice(start, stop),
      [],
      this.sequenceIds.slice(start, stop),
    );
  }

  /** Keeps maxLen tokens, the rest going to overflowing windows that overlap by `stride` (truncation right/left). */
  truncate(maxLen: number, stride: number, direction: 'right' | 'left'): void {
    const len = this.ids.length;
    if (maxLen >= len) return;
    if (maxLen === 0) {
      const o = this.slice(0, len);
      Object.assign(this, this.slice(0, 0));
      this.overflowing = [o];
      return;
    }
    if (stride >= maxLen)
      throw new TokenizerInputError(
        `stride ${stride} must be strictly less than the truncated length ${maxLen} (max_length minus the special tokens)`,
      );
    const step = maxLen - stride;
    const ranges: Array<[number, number]> = [];
    if (direction === 'right') {
      for (let start = 0; start < len; start += step) {
        const stop = Math.min(start + maxLen, len);
        ranges.push([start, stop]);
        if (stop === len) break;
      }
    } else {
      for (let stop = len; stop > 0; stop -= step) {
        const start = Math.max(0, stop - maxLen);
        ranges.push([start, stop]);
        if (start === 0) break;
      }
    }
    const [first, ...rest] = ranges.map(([s, e]) => this.slice(s, e));
    Object.assign(this, first!);
    this.overflowing = rest;
  }

  /** Appends pair after this encoding, combining overflowing windows (tokenizers' merge_with). */
  mergeWith(pair: Encoding): void {
    const overflowings: Encoding[] = [];
    for (const selfO of this.overflowing) {
      const a = selfO.clone();
      a.mergeWith(pair.clone());
      overflowings.push(a);
      for (const otherO of pair.overflowing) {
        const b = selfO.clone();
        b.mergeWith(otherO.clone());
        overflowings.push(b);
      }
    }
    for (const otherO of pair.overflowing) {
      const c = this.clone();
      c.overflowing = [];
      c.mergeWith(otherO.clone());
      overflowings.push(c);
    }
    append(this.ids, pair.ids);
    append(this.typeIds, pair.typeIds);
    append(this.tokens, pair.tokens);
    append(this.offsets, pair.offsets);
    append(this.specialTokensMask, pair.specialTokensMask);
    append(this.attentionMask, pair.attentionMask);
    append(this.sequenceIds, pair.sequenceIds);
    this.overflowing = overflowings;
  }

  static merge(encodings: Encoding[]): Encoding {
    const out = new Encoding();
    for (const e of encodings) out.mergeWith(e);
    return out;
  }

  /** Pads to targetLength (and every overflowing window too). */
  pad(targetLength: number, padId: number, padTypeId: number, padToken: string, side: 'right' | 'left'): void {
    for (const o of this.overflowing) o.pad(targetLength, padId, padTypeId, padToken, side);
    const n = targetLength - this.ids.length;
    if (n <= 0) return;
    const fill = <T>(arr: T[], v: T) => {
      const p = new Array<T>(n).fill(v);
      if (side === 'right') append(arr, p);
      else {
        const rest = arr.splice(0, arr.length);
        append(arr, p);
        append(arr, rest);
      }
    };
    fill(this.ids, padId);
    fill(this.typeIds, padTypeId);
    fill(this.tokens, padToken);
    for (let i = 0; i < n; i++) {
      if (side === 'right') this.offsets.push([0, 0]);
      else this.offsets.unshift([0, 0]);
    }
    fill(this.specialTokensMask, 1);
    fill(this.attentionMask, 0);
    fill<number | null>(this.sequenceIds, null);
  }
}
