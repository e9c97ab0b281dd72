// AlbertLayer: attention, then ffn → activation → ffn_output, residual + full_layer_layer_norm.
// Ports AlbertLayer.forward / ff_chunk:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L203-L238 (class AlbertLayer)

import { activation } from '../activations.js';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import { type AttentionResult, attention } from './attention.js';
import type { RunContext } from './context.js';
import { layerNorm, linear } from './ops.js';

/** No dropout after ffn_output: transformers' AlbertLayer defines `self.dropout` but never applies it. */
export function albertLayer(
  p: ParamView,
  hidden: tf.Tensor,
  mask: tf.Tensor,
  headMaskRow: tf.Tensor | undefined,
  ctx: RunContext,
): AttentionResult {
  const attn = attention(p.pp('attention'), hidden, mask, headMaskRow, ctx);
  const ffn = activation(ctx.config.hidden_act)(linear(attn.output, p.pp('ffn'))); // [B, S, I]
  const ffnOut = linear(ffn, p.pp('ffn_output')); // [B, S, H]
  const output = layerNorm(tf.add(ffnOut, attn.output), p.pp('full_layer_layer_norm'), ctx.config.layer_norm_eps);
  return attn.probs ? { output, probs: attn.probs } : { output };
}
