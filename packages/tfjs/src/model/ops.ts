// nn.Linear, nn.LayerNorm and nn.Dropout as transformers' modules compute them.

import { customGrad } from '../custom-grad.js';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import type { RunContext } from './context.js';

/**
 * x2 [N, in] · Wᵀ [in, out] + b with a hand-written gradient that uses no transposed matmul operand
 * (tfjs-wasm runs those several times slower): dx = dy · W, dWᵀ = transpose(x2) · dy, db = Σ dy.
 */
function affine(x2: tf.Tensor, wt: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = (x: tf.Tensor, wT: tf.Tensor, bias: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.add(tf.matMul(x, wT), bias), // [N, out]
      gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
        // g: [N, out]
        return [tf.matMul(g, w), tf.matMul(tf.transpose(saved[0]!), g), tf.sum(g, 0)]; // [N, in], [in, out], [out]
      },
    };
  };
  return customGrad(f)(x2, wt, b);
}

/** y = x Wᵀ + b, W stored [out, in] as torch does; x is [..., in]. */
export function linear(x: tf.Tensor, p: ParamView): tf.Tensor {
  const w = p.get('weight'); // [out, in]
  const wt = p.transposed('weight'); // [in, out]
  const inF = x.shape[x.shape.length - 1]!;
  const lead = x.shape.slice(0, -1);
  const x2 = tf.reshape(x, [-1, inF]); // [N, in]
  const y = affine(x2, wt, w, p.get('bias')); // [N, out]
  return tf.reshape(y, [...lead, w.shape[0]!]); // [..., out]
}

/** LayerNorm over the last axis with biased variance, as torch. */
export function layerNorm(x: tf.Tensor, p: ParamView, eps: number): tf.Tensor {
  const axis = x.shape.length - 1;
  const mean = tf.mean(x, axis, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axis, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, p.get('weight')), p.get('bias'));
}

/** Inverted dropout, active only while training (seeded when the run has a seed source). */
export function dropout(
  x: tf.Tensor,
  rate: number | null | undefined,
  ctx: Pick<RunContext, 'training' | 'nextSeed'>,
): tf.Tensor {
  if (!ctx.training || !rate) return x;
  return ctx.nextSeed ? tf.dropout(x, rate, undefined, ctx.nextSeed()) : tf.dropout(x, rate);
}

/**
 * nn.Embedding lookup: table [V, E], ids [...] int32 → [..., E]. The gradient is a scatter-add
 * (ScatterNd sums duplicates on every tfjs backend; wasm lacks UnsortedSegmentSum, gather's default),
 * and rows looked up with `paddingIdx` receive no gradient, as torch's padding_idx.
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor, paddingIdx: number | null = null): tf.Tensor {
  // ids are saved through `save` so the tape keeps them alive until the backward pass.
  const f = (w: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ids]);
    return {
      value: tf.gather(w, ids),
      gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
        const savedIds = saved[0]!;
        const [V, E] = table.shape as [number, number];
        const flatIds = tf.reshape(savedIds, [-1, 1]); // [N, 1]
        let updates = tf.reshape(g, [-1, E]); // [N, E]
        if (paddingIdx !== null)
          updates = tf.mul(updates, tf.reshape(tf.cast(tf.notEqual(savedIds, paddingIdx), 'float32'), [-1, 1])); // [N, 1]
        return [tf.scatterND(flatIds, updates, [V, E])];
      },
    };
  };
  return customGrad(f)(table);
}
