// Differentiable versions of the head losses (semantics and reference values: core heads/losses.ts;
// torch's CrossEntropyLoss(ignore_index=-100), MSELoss, BCEWithLogitsLoss, all mean-reduced).
import { IGNORE_INDEX, InputError } from '@albertjs/core';
import { tf } from '../tf.js';
import { embeddingLookup } from './ops.js';

/**
 * Mean cross-entropy of [N, C] logits against N integer targets known on the host; targets equal to
 * `ignoreIndex` are skipped (all skipped → NaN, as torch).
 */
export function crossEntropy(
  logits: tf.Tensor,
  targets: ArrayLike<number>,
  ignoreIndex = IGNORE_INDEX,
  what = 'labels',
): tf.Tensor {
  const C = logits.shape[logits.shape.length - 1]!;
  const flat = tf.reshape(logits, [-1, C]); // [N, C]
  const N = flat.shape[0]!;
  if (targets.length !== N)
    throw new InputError(`${what} have ${targets.length} elements but the logits have ${N} rows of ${C} classes`);
  let count = 0;
  for (let r = 0; r < N; r++) if (targets[r] !== ignoreIndex) count++;
  if (count === 0) return tf.mul(tf.sum(flat), Number.NaN); // every target ignored: NaN, as torch
  // Only the labelled rows enter the log-softmax (MLM labels ~15% of the positions): same value and
  // gradient, without an [N, C] softmax over rows that carry no loss.
  const rows = new Int32Array(count);
  const weights = new Float32Array(count * C);
  for (let r = 0, k = 0; r < N; r++) {
    const t = targets[r]!;
    if (t === ignoreIndex) continue;
    if (!Number.isInteger(t) || t < 0 || t >= C) {
      throw new InputError(`${what}[${r}] = ${t} is out of range [0, ${C}) (use ${ignoreIndex} to ignore a position)`);
    }
    rows[k] = r;
    weights[k * C + t] = 1 / count;
    k++;
  }
  const picked = count === N ? flat : embeddingLookup(flat, tf.tensor1d(rows, 'int32')); // [count, C]
  const w = tf.tensor2d(weights, [count, C]);
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(picked, -1), w)));
}

export function mse(pred: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.mean(tf.squaredDifference(pred, target));
}

/** max(x, 0) − x·y + log1p(exp(−|x|)), averaged. */
export function bceWithLogits(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
}
