// AlbertModel: attention mask, embeddings, encoder, pooler (tanh(dense(first token))).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L372-L410
import { FLOAT32_MIN, type WeightMap } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import { ELEM_TO_ONNX } from '../graph/proto.js';
import type { BuildContext } from './context.js';
import { type EmbeddingInputs, embeddings } from './embeddings.js';
import type { AttentionOp } from './options.js';
import { albertTransformer, type EncoderResult } from './transformer.js';

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
  // The mask as bool (any non-zero value attends, masking_utils' `attention_mask.to(torch.bool)`), then
  // 0 / finfo(float32).min (masking_utils.eager_mask), broadcast over heads and query positions.
  const attends = g.op('Cast', [attentionMask], { to: i(ELEM_TO_ONNX.bool) }); // [N, S]
  const additive = () => g.op('Unsqueeze', [g.op('Where', [attends, g.f32(0), g.f32(FLOAT32_MIN)]), g.i64([1, 2])]); // [N, 1, 1, S]
  const masks = fused ? { int32: g.op('Cast', [attends], { to: i(ELEM_TO_ONNX.int32) }) } : { additive: additive() };
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
