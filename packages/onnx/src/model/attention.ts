// AlbertAttention (eager) and its fused sdpa form.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L200 (eager_attention_forward, class AlbertAttention)
import { type AlbertConfig, ConfigError, type WeightMap } from '@albertjs/core';
import { i, ints } from '../graph/attrs.js';
import { MS_DOMAIN } from '../graph/proto.js';
import type { BuildContext } from './context.js';
import type { Emit } from './emit.js';
import { emitAddLayerNorm, type NormW } from './layer-norm.js';
import { emitLinear, type LinearW } from './linear.js';

export interface AttentionMasks {
  /** float [N, 1, 1, S]: 0 where attended, finfo(float32).min where masked (eager path). */
  additive?: string;
  /** int32 [N, S] 1/0 mask (fused com.microsoft path). */
  int32?: string;
}

export interface AttentionW {
  /** Separate projections: unfused attention (with biases) or MultiHeadAttention (biases in `qkvBias`). */
  query?: LinearW;
  key?: LinearW;
  value?: LinearW;
  /** Packed [H, 3H] projection with its [3H] bias (Attention, or MultiHeadAttention with packedQkv). */
  qkv?: LinearW;
  /** [3H] query, key and value biases (MultiHeadAttention over separate projections). */
  qkvBias?: string;
  dense: LinearW;
  norm: NormW;
}

/** How a layer's attention weights are laid out: per-projection, packed QKV, or separate + [3H] bias. */
export type QkvLayout = 'unfused' | 'packed' | 'separate';

export interface AttentionResult {
  /** [N, S, H] after the residual LayerNorm. */
  output: string;
  /** [N, heads, S, S] softmax probabilities (eager only, after head_mask as transformers returns them). */
  probs?: string;
}

/** Stores one layer's attention weights in the main graph (`a` is the `attention` view). */
export function attentionWeights(ctx: BuildContext, a: WeightMap, layout: QkvLayout): AttentionW {
  const H = ctx.config.hidden_size;
  const dense = ctx.linearWeights(a, 'dense', H, H);
  const norm = ctx.normWeights(a, 'LayerNorm', H);
  if (layout === 'unfused') {
    return {
      query: ctx.linearWeights(a, 'query', H, H),
      key: ctx.linearWeights(a, 'key', H, H),
      value: ctx.linearWeights(a, 'value', H, H),
      dense,
      norm,
    };
  }
  const parts = ['query', 'key', 'value'];
  const bias = ctx.stored(`${a.prefix}.qkv.bias`, [3 * H], () =>
    concat(parts.map((m) => a.f32(`${m}.bias`, [H]).data)),
  );
  if (layout === 'separate') {
    const [query, key, value] = parts.map((m) => ctx.linearWeights(a, m, H, H, false)) as [LinearW, LinearW, LinearW];
    return { query, key, value, qkvBias: bias, dense, norm };
  }
  const getW = () => concat(parts.map((m) => a.f32(`${m}.weight`, [H, H]).data)); // torch layout [3H, H]
  return { qkv: ctx.matmulWeights(`${a.prefix}.qkv.weight`, getW, H, 3 * H, bias), dense, norm };
}

/** Dropout masks of one layer application (training graphs; unfused attention only). */
export interface LayerDropout {
  /** [N, heads, S, S] mask of the attention probabilities. */
  probs?: string;
  /** [N, S, H] mask of the dense output (before the residual LayerNorm). */
  output?: string;
}

/** `headMask` is a [1, heads, 1, 1] value multiplying the probabilities (eager only). */
export function attention(
  e: Emit,
  c: AlbertConfig,
  W: AttentionW,
  h: string,
  masks: AttentionMasks,
  headMask: string | undefined,
  drop: LayerDropout = {},
): AttentionResult {
  const { g } = e;
  if ((drop.probs || drop.output) && (W.qkv || W.qkvBias))
    throw new ConfigError('dropout in the graph needs unfused attention (a standard eager training graph)');
  const H = c.hidden_size;
  const heads = c.num_attention_heads;
  const d = H / heads;
  let context: string; // [N, S, H]
  let probs: string | undefined;
  if (W.qkvBias) {
    // Three [H, H] projections, then com.microsoft MultiHeadAttention (adds the [3H] bias, scales, masks).
    const [q, k, v] = [W.query!, W.key!, W.value!].map((lw) => emitLinear(e, h, lw, false)) as [string, string, string]; // [N, S, H] each
    context = g.op(
      'MultiHeadAttention',
      [q, k, v, W.qkvBias, masks.int32!],
      { num_heads: i(heads) },
      { domain: MS_DOMAIN },
    );
  } else if (W.qkv) {
    if (W.qkv.kind === 'f32' && e.attentionOp === 'Attention') {
      // com.microsoft Attention: QKV projection, scaled softmax(QK^T + mask) V in one kernel.
      context = g.op('Attention', [h, W.qkv.w, W.qkv.b!, masks.int32!], { num_heads: i(heads) }, { domain: MS_DOMAIN });
    } else {
      // One packed QKV MatMul, then com.microsoft MultiHeadAttention (adds the bias, scales, masks).
      const qkv = emitLinear(e, h, W.qkv, false); // [N, S, 3H]
      const [q, k, v] = g.opN('Split', [qkv, g.i64([H, H, H])], { axis: i(-1) }, { outputs: 3 }) as [
        string,
        string,
        string,
      ]; // [N, S, H] each
      context = g.op(
        'MultiHeadAttention',
        [q, k, v, W.qkv.b!, masks.int32!],
        { num_heads: i(heads) },
        { domain: MS_DOMAIN },
      );
    }
  } else {
    const split = (lw: LinearW) => g.op('Reshape', [emitLinear(e, h, lw), g.i64([0, 0, heads, d])]); // [N, S, heads, d]
    const q = g.op('Transpose', [split(W.query!)], { perm: ints([0, 2, 1, 3]) }); // [N, heads, S, d]
    const kT = g.op('Transpose', [split(W.key!)], { perm: ints([0, 2, 3, 1]) }); // [N, heads, d, S]
    const v = g.op('Transpose', [split(W.value!)], { perm: ints([0, 2, 1, 3]) }); // [N, heads, S, d]
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kT]), g.f32(d ** -0.5)]), masks.additive!]); // [N, heads, S, S]
    probs = g.op('Softmax', [scores], { axis: i(-1) });
    if (drop.probs) probs = g.op('Mul', [probs, drop.probs]); // nn.Dropout(attention_probs_dropout_prob)
    if (headMask) probs = g.op('Mul', [probs, headMask]);
    const ctx4 = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) }); // [N, S, heads, d]
    context = g.op('Reshape', [ctx4, g.i64([0, 0, H])]); // [N, S, H]
  }
  if (drop.output) {
    // output_dropout(dense(context)), then LayerNorm(h + ·)
    const projected = g.op('Mul', [emitLinear(e, context, W.dense), drop.output]); // [N, S, H]
    return { output: emitAddLayerNorm(e, projected, h, undefined, W.norm), ...(probs ? { probs } : {}) };
  }
  const projected = emitLinear(e, context, W.dense, false);
  return { output: emitAddLayerNorm(e, projected, h, W.dense.b, W.norm), ...(probs ? { probs } : {}) };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
