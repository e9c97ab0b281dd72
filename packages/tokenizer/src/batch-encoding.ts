// The result of a tokenizer call: transformers' BatchEncoding fields (input_ids, attention_mask, token_type_ids,
// special_tokens_mask, offset_mapping, overflow_to_sample_mapping, length) as plain arrays or as typed tensors.
import type { Encoding } from './pipeline/encoding.js';

/** A typed array with a shape; the same fields as @albertjs/core's Tensor, so backends accept it. */
export interface TensorLike<D extends Int32Array | BigInt64Array = Int32Array | BigInt64Array> {
  readonly dtype: 'int32' | 'int64';
  readonly data: D;
  readonly shape: readonly number[];
  readonly size: number;
}

export type Ids = number[] | number[][] | TensorLike;
export type Offsets = Array<[number, number]> | Array<Array<[number, number]>>;

/** The type of the id fields for a call: typed tensors with returnTensors, one row per text (or window) for a batch
 * or with returnOverflowingTokens, else a single row. */
/** O[K], or undefined when the options object has no K. */
type Get<O, K extends string> = K extends keyof O ? O[K] : undefined;

type RowsOf<T, O> = [Get<O, 'returnOverflowingTokens'>] extends [true]
  ? 'batch'
  : [Get<O, 'returnOverflowingTokens'>] extends [false | undefined]
    ? T extends string[]
      ? 'batch'
      : T extends string
        ? 'single'
        : 'either'
    : 'either';

export type IdsOf<T, O> = [Get<O, 'returnTensors'>] extends ['int64']
  ? TensorLike<BigInt64Array>
  : [Get<O, 'returnTensors'>] extends ['int32']
    ? TensorLike<Int32Array>
    : [Get<O, 'returnTensors'>] extends [undefined]
      ? { batch: number[][]; single: number[]; either: number[] | number[][] }[RowsOf<T, O>]
      : Ids;

/** offset_mapping for a call: one list per row when batched. */
export type OffsetsOf<T, O> = {
  batch: Array<Array<[number, number]>>;
  single: Array<[number, number]>;
  either: Offsets;
}[RowsOf<T, O>];

export interface BatchEncoding<I = Ids, F = Offsets> {
  input_ids: I;
  attention_mask?: I;
  token_type_ids?: I;
  special_tokens_mask?: I;
  /** [start, end) character (code point) offsets into the original text; [0, 0] for special tokens. */
  offset_mapping?: F;
  overflow_to_sample_mapping?: number[];
  length?: number | number[];
  /** The underlying encodings, one per row (not enumerable). */
  readonly encodings: Encoding[];
}

export interface OutputFlags {
  tokenTypeIds: boolean;
  attentionMask: boolean;
  specialTokensMask: boolean;
  offsets: boolean;
  overflow: boolean;
  length: boolean;
  tensors: 'int64' | 'int32' | undefined;
}

function toTensor(rows: number[][], dtype: 'int64' | 'int32'): TensorLike {
  const b = rows.length;
  const s = rows[0]?.length ?? 0;
  for (const r of rows)
    if (r.length !== s)
      throw new RangeError(
        `cannot build a [${b}, ?] tensor from rows of lengths ${rows.map((x) => x.length).join(', ')}: pass padding to make them equal`,
      );
  const size = b * s;
  const data = dtype === 'int64' ? new BigInt64Array(size) : new Int32Array(size);
  let k = 0;
  // [B, S] row-major
  for (const r of rows)
    for (const v of r) {
      if (dtype === 'int64') (data as BigInt64Array)[k++] = BigInt(v);
      else (data as Int32Array)[k++] = v;
    }
  return { dtype, data, shape: [b, s], size };
}

/** Assembles a BatchEncoding; `batched` false unwraps the single row, as transformers does for a single text. */
export function toBatchEncoding(
  rows: Encoding[],
  sampleMap: number[],
  batched: boolean,
  f: OutputFlags,
): BatchEncoding {
  const pick = (fn: (e: Encoding) => number[]): Ids => {
    const v = rows.map(fn);
    if (f.tensors) return toTensor(v, f.tensors);
    return batched ? v : v[0]!;
  };
  const out = { input_ids: pick((e) => e.ids) } as BatchEncoding;
  // Not enumerable: Object.keys / JSON give the tensor fields only, as transformers' BatchEncoding keys do.
  Object.defineProperty(out, 'encodings', { value: rows, enumerable: false });
  if (f.tokenTypeIds) out.token_type_ids = pick((e) => e.typeIds);
  if (f.attentionMask) out.attention_mask = pick((e) => e.attentionMask);
  if (f.specialTokensMask) out.special_tokens_mask = pick((e) => e.specialTokensMask);
  if (f.offsets) {
    const o = rows.map((e) => e.offsets);
    out.offset_mapping = batched ? o : o[0]!;
  }
  if (f.overflow) out.overflow_to_sample_mapping = sampleMap;
  if (f.length) out.length = batched ? rows.map((e) => e.length) : rows[0]!.length;
  return out;
}
