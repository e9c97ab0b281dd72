// Batching for every pipeline: encodings are sorted by length, cut into batches, each batch padded to
// its longest row (so short inputs do not pay for long ones), and the per-row results put back in input order.
import { InputError } from '@albertjs/core';
import type { Encoding } from './tokenizer.js';

export type RowEncoding = Pick<Encoding, 'input_ids' | 'token_type_ids' | 'attention_mask'>;

export interface PaddedBatch {
  /** [B, S] each */
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
  /** Padded length S. */
  length: number;
}

/** Right-pads every row to the longest one (ids with padTokenId, types and mask with 0). */
export function padRows(
  rows: readonly RowEncoding[],
  padTokenId: number,
  length = Math.max(0, ...rows.map((r) => r.input_ids.length)),
): PaddedBatch {
  const pad = (xs: number[], v: number) => {
    if (xs.length > length) throw new InputError(`cannot pad a row of ${xs.length} tokens to ${length}`);
    return [...xs, ...new Array<number>(length - xs.length).fill(v)];
  };
  return {
    input_ids: rows.map((r) => pad(r.input_ids, padTokenId)),
    token_type_ids: rows.map((r) => pad(r.token_type_ids, 0)),
    attention_mask: rows.map((r) => pad(r.attention_mask, 0)),
    length,
  };
}

/**
 * Runs `run` on batches of at most `batchSize` items, longest first, and returns its per-item results in
 * the order of `items`. `run` must return one result per item of the batch it gets.
 */
export async function runSorted<T, R>(
  items: readonly T[],
  lengthOf: (item: T) => number,
  batchSize: number,
  run: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InputError(`batchSize must be a positive integer, got ${batchSize}`);
  const order = items.map((_, i) => i).sort((a, b) => lengthOf(items[b]!) - lengthOf(items[a]!) || a - b);
  const out = new Array<R>(items.length);
  for (let i = 0; i < order.length; i += batchSize) {
    const idx = order.slice(i, i + batchSize);
    const res = await run(idx.map((j) => items[j]!));
    if (res.length !== idx.length) throw new InputError(`a batch of ${idx.length} items gave ${res.length} results`);
    idx.forEach((j, k) => {
      out[j] = res[k]!;
    });
  }
  return out;
}
