// AlbertLayer: attention, then ffn → activation → ffn_output and the full_layer_layer_norm residual.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L203-L238 (class AlbertLayer, forward / ff_chunk)
import type { AlbertConfig, WeightMap } from '@albertjs/core';
import { biasActivation } from './activations.js';
import {
  type AttentionMasks,
  type AttentionResult,
  type AttentionW,
  attention,
  attentionWeights,
  type LayerDropout,
  type QkvLayout,
} from './attention.js';
import type { BuildContext } from './context.js';
import type { Emit } from './emit.js';
import { emitAddLayerNorm, type NormW } from './layer-norm.js';
import { emitLinear, type LinearW } from './linear.js';

export interface LayerW {
  attention: AttentionW;
  ffn: LinearW;
  ffnOutput: LinearW;
  fullNorm: NormW;
}

/** Stores the weights of one `albert_layers.<j>` (view `w`) in the main graph. */
export function layerWeights(ctx: BuildContext, w: WeightMap, layout: QkvLayout): LayerW {
  const { hidden_size: H, intermediate_size: I } = ctx.config;
  return {
    attention: attentionWeights(ctx, w.pp('attention'), layout),
    ffn: ctx.linearWeights(w, 'ffn', H, I),
    ffnOutput: ctx.linearWeights(w, 'ffn_output', I, H),
    fullNorm: ctx.normWeights(w, 'full_layer_layer_norm', H),
  };
}

/** One layer application; returns the [N, S, H] output and the attention probabilities. */
export function albertLayer(
  e: Emit,
  c: AlbertConfig,
  W: LayerW,
  h: string,
  masks: AttentionMasks,
  headMask: string | undefined,
  drop: LayerDropout = {},
): AttentionResult {
  const att = attention(e, c, W.attention, h, masks, headMask, drop);
  const ffn = biasActivation(e, c.hidden_act, emitLinear(e, att.output, W.ffn, false), W.ffn.b!); // [N, S, I]
  const ffnOut = emitLinear(e, ffn, W.ffnOutput, false); // [N, S, H]
  const output = emitAddLayerNorm(e, ffnOut, att.output, W.ffnOutput.b, W.fullNorm);
  return { output, ...(att.probs ? { probs: att.probs } : {}) };
}

/** The graph values of `W` in a fixed order (the shared-layer function's weight inputs). */
export function layerValues(W: LayerW): string[] {
  const out: string[] = [];
  const walk = (o: object) => {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'kind') continue;
      if (typeof v === 'string') out.push(v);
      else if (v && typeof v === 'object') walk(v);
    }
  };
  walk(W);
  return out;
}

/** `W` with every value renamed by `rename` (same order as layerValues). */
export function renameLayerW(W: LayerW, rename: (v: string) => string): LayerW {
  const map = (o: unknown): unknown => {
    if (typeof o === 'string') return rename(o);
    if (!o || typeof o !== 'object') return o;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'kind' ? v : map(v)]));
  };
  return map(W) as LayerW;
}
