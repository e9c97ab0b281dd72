// AlbertModel: extended attention mask, embeddings, encoder, pooler (tanh(dense(first token))).
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py (class AlbertModel, forward)
import type { WeightMap } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import type { BuildContext } from './context.js';
import { type EmbeddingInputs, embeddings } from './embeddings.js';
import type { AttentionOp } from './options.js';
import { albertTransformer, type EncoderResult } from './transformer.js';

const FLOAT = 1;
const INT32 = 6;
const F32_MIN = -3.4028234663852886e38;

export interface AlbertModelResult extends EncoderResult {
  /** [N, H] */
  pooled?: string;
}

/** `w` is the base-model view (`albert.` for heads); `attentionMask` int64 [N, S]. */
export function albertModel(
  ctx: BuildContext,
  w: WeightMap,
  x: EmbeddingInputs,
  attentionMask: string,
  headMask: string | undefined,
  withPooler: boolean,
): AlbertModelResult {
  const { g, config: c } = ctx;
  const op = attentionOp(ctx);
  const fused = op !== 'unfused';
  // (1 - mask) * finfo(float32).min, broadcast over heads and query positions.
  const additive = () =>
    g.op('Unsqueeze', [
      g.op('Mul', [g.op('Sub', [g.f32(1), g.op('Cast', [attentionMask], { to: i(FLOAT) })]), g.f32(F32_MIN)]),
      g.i64([1, 2]),
    ]); // [N, 1, 1, S]
  const masks = fused ? { int32: g.op('Cast', [attentionMask], { to: i(INT32) }) } : { additive: additive() };
  const embedded = g.scoped('embeddings', () => embeddings(ctx, w.pp('embeddings'), x)); // [N, S, E]
  const enc = albertTransformer(ctx, w.pp('encoder'), embedded, masks, headMask, op === 'unfused' ? undefined : op);
  if (!withPooler) return enc;
  const first = g.op('Gather', [enc.last, g.i64([0], [])], { axis: i(1) }); // [N, H]
  const pooled = g.op('Tanh', [ctx.linear(first, w, 'pooler', c.hidden_size, c.hidden_size)]);
  return { ...enc, pooled };
}

/** The attention kernel of this graph: plain ops unless optimized sdpa (defaults measured by bench/attention-ab.ts). */
export function attentionOp(ctx: BuildContext): AttentionOp {
  if (!ctx.optimized || ctx.opts.attnImplementation !== 'sdpa') return 'unfused';
  return ctx.opts.attentionOp ?? (ctx.opts.dtype === 'int8' ? 'unfused' : 'Attention');
}
