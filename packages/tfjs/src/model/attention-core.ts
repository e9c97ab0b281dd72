// softmax(Q·Kᵀ + mask) → dropout → (× head mask) → ·V with a hand-written gradient that keeps only Q, Kᵀ,
// V and the masks: the backward pass recomputes the probabilities (and the same dropout masks, from
// their seeds) one block of query rows at a time, so no [B, heads, S, S] tensor outlives a block, in the
// forward or in the backward pass. Ports the math of transformers' eager_attention_forward / torch SDPA:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L135 (eager_attention_forward)
import { customGrad } from '../custom-grad.js';
import { tf } from '../tf.js';

export interface CoreOptions {
  /** Query rows per block (S: one block). */
  block: number;
  /** Attention-probability dropout rate (0: off). */
  rate: number;
  /** One seed per block when rate > 0 (the masks are tf.dropout's for that seed and block shape). */
  seeds?: number[];
  /** [heads] multiplier of the probabilities (eager head_mask). */
  headMaskRow?: tf.Tensor;
}

/** tf.dropout's multiplier (floor(u + keep) / keep, u ~ U[0, 1) seeded), so masks match tf.dropout's. */
export function dropoutMultiplier(shape: number[], rate: number, seed: number): tf.Tensor {
  const keep = 1 - rate;
  return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep);
}

/**
 * @param q pre-scaled queries [B, heads, S, d]
 * @param kT transposed keys [B, heads, d, S]
 * @param v values [B, heads, S, d]
 * @param mask additive [B, 1, 1, S]
 * @returns context [B, heads, S, d]
 */
export function attentionCore(q: tf.Tensor, kT: tf.Tensor, v: tf.Tensor, mask: tf.Tensor, o: CoreOptions): tf.Tensor {
  const [B, heads, S, d] = q.shape as [number, number, number, number];
  const starts: number[] = [];
  for (let s = 0; s < S; s += o.block) starts.push(s);
  if (o.rate > 0 && o.seeds?.length !== starts.length)
    throw new Error(`attentionCore: ${starts.length} blocks need as many dropout seeds, got ${o.seeds?.length}`);
  const rowsOf = (s: number) => Math.min(o.block, S - s);
  const hm = o.headMaskRow;

  /** The probabilities of one block before dropout, and the multiplier applied after softmax (dropout × head mask). */
  const probs = (qs: tf.Tensor, k: tf.Tensor, m: tf.Tensor, h: tf.Tensor | undefined, i: number) => {
    const start = starts[i]!;
    const rows = rowsOf(start);
    const qb = rows === S ? qs : tf.slice(qs, [0, 0, start, 0], [B, heads, rows, d]); // [B, heads, rows, d]
    const p = tf.softmax(tf.add(tf.matMul(qb, k), m), -1); // [B, heads, rows, S]
    let mult: tf.Tensor | undefined =
      o.rate > 0 ? dropoutMultiplier([B, heads, rows, S], o.rate, o.seeds![i]!) : undefined;
    if (h) {
      const hr = tf.reshape(h, [1, heads, 1, 1]); // [1, heads, 1, 1]
      mult = mult ? tf.mul(mult, hr) : hr;
    }
    return { qb, p, mult };
  };

  const forward = (qs: tf.Tensor, k: tf.Tensor, vs: tf.Tensor, save: tf.GradSaveFunc) => {
    save(hm ? [qs, k, vs, mask, hm] : [qs, k, vs, mask]);
    const parts = starts.map((_, i) =>
      tf.tidy(() => {
        const { p, mult } = probs(qs, k, mask, hm, i);
        return tf.matMul(mult ? tf.mul(p, mult) : p, vs); // [B, heads, rows, d]
      }),
    );
    return {
      value: parts.length === 1 ? parts[0]! : tf.concat(parts, 2), // [B, heads, S, d]
      gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
        // g: [B, heads, S, d]
        const [sq, sk, sv, sm, sh] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
        const dqs: tf.Tensor[] = [];
        let dk: tf.Tensor | undefined;
        let dv: tf.Tensor | undefined;
        starts.forEach((start, i) => {
          const rows = rowsOf(start);
          const [dq, dkPart, dvPart] = tf.tidy(() => {
            const { qb, p, mult } = probs(sq, sk, sm, sh, i);
            const gb = rows === S ? g : tf.slice(g, [0, 0, start, 0], [B, heads, rows, d]); // [B, heads, rows, d]
            const pd = mult ? tf.mul(p, mult) : p; // [B, heads, rows, S]
            const dvb = tf.matMul(pd, gb, true, false); // [B, heads, S, d]
            let dp = tf.matMul(gb, sv, false, true); // [B, heads, rows, S]
            if (mult) dp = tf.mul(dp, mult);
            const ds = tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), -1, true))); // softmax backward [B, heads, rows, S]
            return [tf.matMul(ds, sk, false, true), tf.matMul(qb, ds, true, false), dvb]; // [B, heads, rows, d], [B, heads, d, S], [B, heads, S, d]
          });
          dqs.push(dq);
          dk = dk ? accumulate(dk, dkPart) : dkPart;
          dv = dv ? accumulate(dv, dvPart) : dvPart;
        });
        const dq = dqs.length === 1 ? dqs[0]! : tf.concat(dqs, 2); // [B, heads, S, d]
        if (dqs.length > 1) tf.dispose(dqs);
        return [dq, dk!, dv!];
      },
    };
  };
  return customGrad(forward)(q, kT, v);
}

function accumulate(sum: tf.Tensor, part: tf.Tensor): tf.Tensor {
  const out = tf.add(sum, part);
  sum.dispose();
  part.dispose();
  return out;
}
