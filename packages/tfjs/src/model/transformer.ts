// AlbertTransformer: embedding_hidden_mapping_in (E → H), then num_hidden_layers applications of the
// shared layer groups: layer i runs group config.groupOfLayer(i), whose inner_group_num layers run in turn.
// Ports AlbertTransformer.forward and AlbertLayerGroup.forward:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L241-L285 (class AlbertLayerGroup, AlbertTransformer)
import { type AlbertConfig, innerLayerKey } from '@albertjs/core';
import type { ParamInput, ParamView } from '../params.js';
import { tf } from '../tf.js';
import type { AttentionResult } from './attention.js';
import { type RunContext, seedStream } from './context.js';
import { LayerCheckpointing } from './gradient-checkpointing.js';
import { albertLayer } from './layer.js';
import { linear } from './ops.js';

export interface EncoderOutput {
  lastHiddenState: tf.Tensor; // [B, S, H]
  /** 1 + layers × inner_group_num entries (transformers 5.x). */
  hiddenStates?: tf.Tensor[];
  /** One [B, heads, S, S] per inner layer application. */
  attentions?: tf.Tensor[];
}

/**
 * The context of one layer application, made fresh on each call: with dropout on, its masks come from a
 * seed drawn once for the application, so a recompute (checkpointing) draws the same masks. Unseeded
 * runs draw that seed from Math.random.
 */
function withLayerSeed(ctx: RunContext): () => RunContext {
  if (!ctx.training) return () => ctx;
  const seed = ctx.nextSeed ? ctx.nextSeed() : Math.floor(Math.random() * 2 ** 31);
  return () => ({ ...ctx, nextSeed: seedStream(seed) });
}

/** The parameter inputs of every (group, inner layer) and the run's checkpointing state. */
function checkpointing(encoder: ParamView, c: AlbertConfig) {
  const byLayer = new Map<string, ParamInput[]>();
  for (let g = 0; g < c.num_hidden_groups; g++)
    for (let j = 0; j < c.inner_group_num; j++) {
      const p = encoder.pp(innerLayerKey(g, j));
      byLayer.set(p.prefix, p.inputs());
    }
  return { byLayer, checkpointing: new LayerCheckpointing([...byLayer.values()].flat()) };
}

/** @param encoder the `encoder` view; @param mask additive [B, 1, 1, S] */
export function transformer(encoder: ParamView, embedded: tf.Tensor, mask: tf.Tensor, ctx: RunContext): EncoderOutput {
  const c = ctx.config;
  let hidden = linear(embedded, encoder.pp('embedding_hidden_mapping_in')); // [B, S, H]
  // Gradient checkpointing (transformers' GradientCheckpointingLayer): every layer application keeps only
  // its input; attentions, when asked for, need the eager forward's probabilities, so those runs keep all.
  const ckpt = ctx.checkpoint && !ctx.outputAttentions ? checkpointing(encoder, c) : undefined;
  if (ckpt) hidden = ckpt.checkpointing.entry(hidden);
  const hiddenStates: tf.Tensor[] = [hidden];
  const attentions: tf.Tensor[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const group = c.groupOfLayer(i);
    const row = ctx.headMask ? tf.gather(ctx.headMask, i) : undefined; // [heads]
    for (let j = 0; j < c.inner_group_num; j++) {
      const input = hidden;
      const p = encoder.pp(innerLayerKey(group, j));
      const layerCtx = withLayerSeed(ctx);
      // Each layer's intermediates die with it (a gradient tape keeps its own references to what backprop needs).
      const layerParams = ckpt?.byLayer.get(p.prefix);
      const r = tf.tidy(() =>
        ckpt && layerParams
          ? {
              output: ckpt.checkpointing.apply(
                (x, ws, [m, hm]) => albertLayer(p.bind(layerParams, ws), x, m!, hm, layerCtx()).output,
                input,
                layerParams,
                row ? [mask, row] : [mask],
              ),
            }
          : (albertLayer(p, input, mask, row, layerCtx()) as unknown as tf.TensorContainer),
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
