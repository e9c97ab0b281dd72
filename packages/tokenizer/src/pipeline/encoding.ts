// tokenizers' Encoding: ids, tokens, type ids, offsets, masks, overflowing windows; truncate, merge and pad as
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/encoding.rs does.
// Offsets are kept as two flat arrays (no object per token); `offsets` gives them as [start, end] pairs.
import { TokenizerInputError } from '../errors.js';

export type Offset = [number, number];

/** dst.push(...src) without the argument-count limit of spreading long arrays. */
function append<T>(dst: T[], src: readonly T[]): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]!);
}

function prependFill<T>(arr: T[], n: number, v: T): void {
  const rest = arr.splice(0, arr.length);
  for (let i = 0; i < n; i++) arr.push(v);
  append(arr, rest);
}

/** The per-token fields besides ids, which a long encoding builds only when they are read. */
type Field =
  | 'typeIds'
  | 'tokens'
  | 'offsetStarts'
  | 'offsetEnds'
  | 'specialTokensMask'
  | 'attentionMask'
  | 'sequenceIds';
type Fields = {
  typeIds: number[];
  tokens: string[];
  offsetStarts: number[];
  offsetEnds: number[];
  specialTokensMask: number[];
  attentionMask: number[];
  sequenceIds: Array<number | null>;
};
export type FieldMakers = { [K in Field]?: () => Fields[K] };

/** An array of n copies of v, built at its final size (no growth, no holes left). */
export function filled<T>(n: number, v: T): T[] {
  const a = new Array<T>(n);
  for (let i = 0; i < n; i++) a[i] = v;
  return a;
}

export class Encoding {
  ids: number[] = [];
  private readonly f: Partial<Fields> = {};
  /** How to build the fields not yet built (set by the constructors of long encodings; dropped once built). */
  private makers: FieldMakers = {};
  overflowing: Encoding[] = [];

  private field<K extends Field>(k: K): Fields[K] {
    const v = this.f[k];
    if (v !== undefined) return v as Fields[K];
    const make = this.makers[k];
    const built = (make ? make() : []) as Fields[K];
    this.f[k] = built;
    this.makers[k] = undefined;
    return built;
  }
  private setField<K extends Field>(k: K, v: Fields[K]): void {
    this.f[k] = v;
    this.makers[k] = undefined;
  }

  /** An encoding of these ids whose other fields are built by `makers` when read (and [] for those it has none). */
  static lazy(ids: number[], makers: FieldMakers): Encoding {
    const e = new Encoding();
    e.ids = ids;
    e.makers = makers;
    return e;
  }

  get typeIds(): number[] {
    return this.field('typeIds');
  }
  set typeIds(v: number[]) {
    this.setField('typeIds', v);
  }
  get tokens(): string[] {
    return this.field('tokens');
  }
  set tokens(v: string[]) {
    this.setField('tokens', v);
  }
  /** Original start of each token (code point index into its text); 0 for special tokens and padding. */
  get offsetStarts(): number[] {
    return this.field('offsetStarts');
  }
  set offsetStarts(v: number[]) {
    this.setField('offsetStarts', v);
  }
  /** Original end of each token. */
  get offsetEnds(): number[] {
    return this.field('offsetEnds');
  }
  set offsetEnds(v: number[]) {
    this.setField('offsetEnds', v);
  }
  get specialTokensMask(): number[] {
    return this.field('specialTokensMask');
  }
  set specialTokensMask(v: number[]) {
    this.setField('specialTokensMask', v);
  }
  get attentionMask(): number[] {
    return this.field('attentionMask');
  }
  set attentionMask(v: number[]) {
    this.setField('attentionMask', v);
  }
  /** Which input sequence (0 or 1) each token comes from; null for special tokens and padding. */
  get sequenceIds(): Array<number | null> {
    return this.field('sequenceIds');
  }
  set sequenceIds(v: Array<number | null>) {
    this.setField('sequenceIds', v);
  }

  get length(): number {
    return this.ids.length;
  }

  /** [start, end) of every token in its original text. */
  get offsets(): Offset[] {
    const ends = this.offsetEnds;
    return this.offsetStarts.map((s, i) => [s, ends[i]!]);
  }

  /** Appends one token. */
  push(
    id: number,
    token: string,
    start: number,
    end: number,
    typeId: number,
    special: number,
    sequenceId: number | null,
  ): void {
    this.ids.push(id);
    this.tokens.push(token);
    this.offsetStarts.push(start);
    this.offsetEnds.push(end);
    this.typeIds.push(typeId);
    this.specialTokensMask.push(special);
    this.attentionMask.push(1);
    this.sequenceIds.push(sequenceId);
  }

  /**
   * The encoding of one input sequence (no special tokens): type ids, masks and sequence ids are built when read.
   * `tokens` and the offsets may be given as functions that build them when read.
   */
  static ofSequence(
    ids: number[],
    tokens: string[] | (() => string[]),
    starts: number[] | (() => number[]),
    ends: number[] | (() => number[]),
    typeId: number,
  ): Encoding {
    const n = ids.length;
    const e = Encoding.lazy(ids, {
      typeIds: () => filled(n, typeId),
      specialTokensMask: () => filled(n, 0),
      attentionMask: () => filled(n, 1),
      sequenceIds: () => filled<number | null>(n, typeId),
    });
    if (typeof tokens === 'function') e.makers.tokens = tokens;
    else e.tokens = tokens;
    if (typeof starts === 'function') e.makers.offsetStarts = starts;
    else e.offsetStarts = starts;
    if (typeof ends === 'function') e.makers.offsetEnds = ends;
    else e.offsetEnds = ends;
    return e;
  }

  /** An encoding of given ids (no offsets), as the special-token helpers need. */
  static fromIds(ids: readonly number[], tokens: readonly string[], typeId: number): Encoding {
    const n = ids.length;
    return Encoding.ofSequence([...ids], [...tokens], filled(n, 0), filled(n, 0), typeId);
  }

  clone(): Encoding {
    const e = this.slice(0, this.ids.length);
    e.overflowing = this.overflowing.map((o) => o.clone());
    return e;
  }

  private slice(start: number, stop: number): Encoding {
    const e = new Encoding();
    e.ids = this.ids.slice(start, stop);
    e.typeIds = this.typeIds.slice(start, stop);
    e.tokens = this.tokens.slice(start, stop);
    e.offsetStarts = this.offsetStarts.slice(start, stop);
    e.offsetEnds = this.offsetEnds.slice(start, stop);
    e.specialTokensMask = this.specialTokensMask.slice(start, stop);
    e.attentionMask = this.attentionMask.slice(start, stop);
    e.sequenceIds = this.sequenceIds.slice(start, stop);
    return e;
  }

  private assign(o: Encoding): void {
    this.ids = o.ids;
    this.typeIds = o.typeIds;
    this.tokens = o.tokens;
    this.offsetStarts = o.offsetStarts;
    this.offsetEnds = o.offsetEnds;
    this.specialTokensMask = o.specialTokensMask;
    this.attentionMask = o.attentionMask;
    this.sequenceIds = o.sequenceIds;
    this.overflowing = o.overflowing;
  }

  /** Keeps maxLen tokens, the rest going to overflowing windows that overlap by `stride` (truncation right/left). */
  truncate(maxLen: number, stride: number, direction: 'right' | 'left'): void {
    const len = this.ids.length;
    if (maxLen >= len) return;
    if (maxLen === 0) {
      const all = this.slice(0, len);
      this.assign(this.slice(0, 0));
      this.overflowing = [all];
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
    this.assign(first!);
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
    append(this.offsetStarts, pair.offsetStarts);
    append(this.offsetEnds, pair.offsetEnds);
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
      if (side === 'right') for (let i = 0; i < n; i++) arr.push(v);
      else prependFill(arr, n, v);
    };
    fill(this.ids, padId);
    fill(this.typeIds, padTypeId);
    fill(this.tokens, padToken);
    fill(this.offsetStarts, 0);
    fill(this.offsetEnds, 0);
    fill(this.specialTokensMask, 1);
    fill(this.attentionMask, 0);
    fill<number | null>(this.sequenceIds, null);
  }
}
