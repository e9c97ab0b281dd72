// AlbertAttention (AlbertSdpaAttention): q/k/v projections, scaled dot-product attention, output
// projection, residual + LayerNorm. Ports AlbertAttention.forward / eager_attention_forward:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L200 (eager_attention_forward, class AlbertAttention)
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import { attentionCore } from './attention-core.js';
import type { RunContext } from './context.js';
import { dropout, layerNorm, linear } from './ops.js';

/** Query rows per block on the sdpa path: bounds the live score tensor to [B, heads, SDPA_BLOCK, S]. */
export const SDPA_BLOCK = 128;

export interface AttentionResult {
  output: tf.Tensor; // [B, S, H]
  /** [B, heads, S, S], eager only and only when asked for. */
  probs?: tf.Tensor;
}

function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [B, S, H] = x.shape as [number, number, number];
  const r = tf.reshape(x, [B, S, heads, H / heads]); // [B, S, heads, headDim]
  return tf.transpose(r, [0, 2, 1, 3]); // [B, heads, S, headDim]
}

/** Eager with the probabilities as an output (outputAttentions): softmax(QKᵀ/√d + mask) × head mask row, kept. */
function eagerAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask: tf.Tensor,
  headMaskRow: tf.Tensor | undefined,
  ctx: RunContext,
) {
  const d = q.shape[3]!;
  const scores = tf.add(tf.mul(tf.matMul(q, k), 1 / Math.sqrt(d)), mask); // k is [B, heads, headDim, S]; scores [B, heads, S, S]
  let probs = dropout(tf.softmax(scores, -1), ctx.config.attention_probs_dropout_prob, ctx);
  if (headMaskRow) probs = tf.mul(probs, tf.reshape(headMaskRow, [1, -1, 1, 1])); // [1, heads, 1, 1]
  return { context: tf.matMul(probs, v), probs }; // [B, heads, S, headDim]
}

/**
 * @param mask additive mask [B, 1, 1, S] (0 = attend, float32 min = padding)
 * @param headMaskRow [heads] or undefined
 */
export function attention(
  p: ParamView,
  hidden: tf.Tensor,
  mask: tf.Tensor,
  headMaskRow: tf.Tensor | undefined,
  ctx: RunContext,
): AttentionResult {
  const heads = ctx.config.num_attention_heads;
  const [B, S, H] = hidden.shape as [number, number, number];
  const q = splitHeads(linear(hidden, p.pp('query')), heads);
  // Kᵀ materialized once: tfjs-wasm's batched matmul is much slower with a transposed operand.
  const k = tf.transpose(tf.reshape(linear(hidden, p.pp('key')), [B, S, heads, H / heads]), [0, 2, 3, 1]); // [B, S, heads, headDim] → [B, heads, headDim, S]
  const v = splitHeads(linear(hidden, p.pp('value')), heads);
  let context: tf.Tensor;
  let probs: tf.Tensor | undefined;
  if (ctx.attn === 'eager' && ctx.outputAttentions) {
    const r = eagerAttention(q, k, v, mask, headMaskRow, ctx);
    context = r.context;
    probs = r.probs;
  } else {
    // eager: one block of S query rows (the whole [B, heads, S, S] per call, as transformers' eager path);
    // sdpa: blocks of SDPA_BLOCK rows, the query pre-scaled as torch's SDPA does. Either way the gradient
    // tape keeps only Q, Kᵀ, V (attentionCore recomputes the probabilities in the backward pass).
    const block = ctx.attn === 'sdpa' ? SDPA_BLOCK : S;
    const rate = ctx.training ? (ctx.config.attention_probs_dropout_prob ?? 0) : 0;
    const seeds =
      rate > 0
        ? Array.from({ length: Math.ceil(S / block) }, () =>
            ctx.nextSeed ? ctx.nextSeed() : Math.floor(Math.random() * 2 ** 31),
          )
        : undefined;
    context = attentionCore(tf.mul(q, 1 / Math.sqrt(H / heads)), k, v, mask, {
      block,
      rate,
      ...(seeds ? { seeds } : {}),
      ...(ctx.attn === 'eager' && headMaskRow ? { headMaskRow } : {}),
    });
  }
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B, S, H]); // [B, S, H]
  const projected = dropout(linear(merged, p.pp('dense')), ctx.config.hidden_dropout_prob, ctx);
  const output = layerNorm(tf.add(hidden, projected), p.pp('LayerNorm'), ctx.config.layer_norm_eps);
  return probs ? { output, probs } : { output };
}
