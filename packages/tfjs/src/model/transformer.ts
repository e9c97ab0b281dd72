// AlbertTransformer: embedding_hidden_mapping_in (E → H), then num_hidden_layers applications of the
// shared layer groups: layer i runs group config.groupOfLayer(i), whose inner_group_num layers run in turn.
// Ports AlbertTransformer.forward and AlbertLayerGroup.forward:
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/models/albert/modeling_albert.py (class AlbertTransformer, AlbertLayerGroup)
import { layerPrefix } from '@albertjs/core';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import type { AttentionResult } from './attention.js';
import type { RunContext } from './context.js';
import { albertLayer } from './layer.js';
import { linear } from './ops.js';

export interface EncoderOutput {
  lastHiddenState: tf.Tensor; // [B, S, H]
  /** 1 + layers × inner_group_num entries (transformers 5.x). */
  hiddenStates?: tf.Tensor[];
  /** One [B, heads, S, S] per inner layer application. */
  attentions?: tf.Tensor[];
}

/** @param encoder the `encoder` view; @param mask additive [B, 1, 1, S] */
export function transformer(encoder: ParamView, embedded: tf.Tensor, mask: tf.Tensor, ctx: RunContext): EncoderOutput {
  const c = ctx.config;
  let hidden = linear(embedded, encoder.pp('embedding_hidden_mapping_in')); // [B, S, H]
  const hiddenStates: tf.Tensor[] = [hidden];
  const attentions: tf.Tensor[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const group = c.groupOfLayer(i);
    const row = ctx.headMask ? tf.gather(ctx.headMask, i) : undefined; // [heads]
    for (let j = 0; j < c.inner_group_num; j++) {
      const input = hidden;
      // Each layer's intermediates die with it (a gradient tape keeps its own references to what backprop needs).
      const r = tf.tidy(
        () =>
          albertLayer(
            encoder.pp(layerPrefix(group, j).slice('encoder.'.length)),
            input,
            mask,
            row,
            ctx,
          ) as unknown as tf.TensorContainer,
      ) as unknown as AttentionResult;
      hidden = r.output;
      hiddenStates.push(hidden);
      if (r.probs) attentions.push(r.probs);
    }
  }
  return {
    lastHiddenState: hidden,
    ...(ctx.outputHiddenStates ? { hiddenStates } : {}),
    ...(ctx.outputAttentions && attentions.length ? { attentions } : {}),
  };
}
