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

export interface BatchEncoding {
  input_ids: Ids;
  attention_mask?: Ids;
  token_type_ids?: Ids;
  special_tokens_mask?: Ids;
  /** [start, end) character (code point) offsets into the original text; [0, 0] for special tokens. */
  offset_mapping?: Array<[number, number]> | Array<Array<[number, number]>>;
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
