// Feature extraction: token embeddings (last_hidden_state), or one vector per input by CLS or
// attention-masked mean pooling, optionally L2-normalized (transformers.js' `pooling` / `normalize`;
// transformers' FeatureExtractionPipeline returns the unpooled hidden states:
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/feature_extraction.py).
import { InputError, Tensor } from '@albertjs/core';
import { l2NormalizeRows } from '../math.js';

export type Pooling = 'none' | 'cls' | 'mean';
export const POOLINGS: readonly Pooling[] = ['none', 'cls', 'mean'];

export interface FeatureExtractionPostprocessArgs {
  /** [B, S, H] */
  lastHiddenState: Tensor<Float32Array>;
  /** [B, S] as numbers, 1 = token, 0 = padding. */
  attentionMask: readonly (readonly number[])[];
  pooling?: Pooling;
  normalize?: boolean;
}

/** 'none' → [B, S, H] (normalized per token when asked); 'cls' / 'mean' → [B, H]. */
export function featureExtractionPostprocess(a: FeatureExtractionPostprocessArgs): Tensor<Float32Array> {
  const pooling = a.pooling ?? 'none';
  if (!POOLINGS.includes(pooling))
    throw new InputError(`pooling must be one of ${POOLINGS.join(', ')}, got ${JSON.stringify(pooling)}`);
  const [B, S, H] = a.lastHiddenState.shape as [number, number, number];
  if (a.lastHiddenState.shape.length !== 3)
    throw new InputError(`last_hidden_state must be [B, S, H], got [${a.lastHiddenState.shape.join(', ')}]`);
  const x = a.lastHiddenState.data;
  let out: Float32Array;
  let shape: number[];
  if (pooling === 'none') {
    out = Float32Array.from(x);
    shape = [B, S, H];
  } else if (pooling === 'cls') {
    out = new Float32Array(B * H);
    for (let b = 0; b < B; b++) out.set(x.subarray(b * S * H, b * S * H + H), b * H); // token 0 of row b
    shape = [B, H];
  } else {
    out = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      const m = a.attentionMask[b];
      if (!m || m.length !== S) throw new InputError(`attention mask row ${b} has ${m?.length} entries, expected ${S}`);
      let n = 0;
      for (let s = 0; s < S; s++) {
        if (!m[s]) continue;
        n++;
        for (let h = 0; h < H; h++) out[b * H + h]! += x[(b * S + s) * H + h]!;
      }
      for (let h = 0; h < H; h++) out[b * H + h]! /= Math.max(n, 1e-9);
    }
    shape = [B, H];
  }
  if (a.normalize) l2NormalizeRows(out, H);
  return Tensor.f32(out, shape);
}
