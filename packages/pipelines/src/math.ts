// Numeric helpers shared by the post-processing functions, as numpy does them in transformers' pipelines.
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/text_classification.py (sigmoid, softmax)

/** Softmax of `x[offset .. offset+n)` with the max subtracted first (HF's shifted exp), in float64. */
export function softmax(x: ArrayLike<number>, offset = 0, n = x.length - offset): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, x[offset + i]!);
  const out = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp(x[offset + i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}

export function sigmoid(x: ArrayLike<number>, offset = 0, n = x.length - offset): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[offset + i]!));
  return out;
}

/** Index of the largest value (first one on ties, as numpy's argmax). */
export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

/** Indices of the `k` largest values, largest first; ties keep the lower index first. */
export function topKIndices(x: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((a, b) => x[b]! - x[a]! || a - b);
  return idx.slice(0, Math.max(0, Math.min(k, x.length)));
}

/** Scales each row of a [rows, dim] matrix to unit L2 norm (rows of norm 0 stay 0), in place. */
export function l2NormalizeRows(data: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < data.length / dim; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[r * dim + j]! ** 2;
    const n = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < dim; j++) data[r * dim + j]! /= n;
  }
  return data;
}
