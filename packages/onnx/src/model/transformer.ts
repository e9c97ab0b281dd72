// AlbertTransformer: embedding_hidden_mapping_in, then num_hidden_layers applications of the shared
// layer groups (layer l uses group floor(l / (layers / groups)), each group runs its inner layers).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L258-L285 (class AlbertTransformer, forward)
//
// The layer is written ONCE as a model-local function (`albertjs.AlbertLayer`) and called once per
// layer application with that group's weights: the weights are stored once as initializers and the
// graph structure once, so the file is the size of the parameters.
import { innerLayerKey, type WeightMap } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import type { AttentionMasks, QkvLayout } from './attention.js';
import type { BuildContext } from './context.js';
import type { FusedAttentionOp } from './emit.js';
import { albertLayer, type LayerW, layerValues, layerWeights, renameLayerW } from './layer.js';

export interface EncoderResult {
  last: string;
  /** 1 + layers × inner_group_num values: the mapped embeddings, then every inner layer's output. */
  hiddenStates: string[];
  /** One [N, heads, S, S] value per inner layer application (eager only). */
  attentions: string[];
}

const LAYER_FN = 'AlbertLayer';

/** `w` is the `encoder` view; `headMask` a [layers, heads] float value (eager only). */
export function albertTransformer(
  ctx: BuildContext,
  w: WeightMap,
  embedded: string,
  masks: AttentionMasks,
  headMask: string | undefined,
  op: FusedAttentionOp | undefined,
): EncoderResult {
  const { g, config: c } = ctx;
  let h = ctx.linear(embedded, w, 'embedding_hidden_mapping_in', c.embedding_size, c.hidden_size); // [N, S, H]
  const hiddenStates = [h];
  const attentions: string[] = [];
  const fused = op !== undefined;
  const eager = !fused;
  // Attention packs QKV itself; MultiHeadAttention takes one packed MatMul + Split or three MatMuls.
  const layout: QkvLayout = !op ? 'unfused' : op === 'Attention' || ctx.opts.packedQkv ? 'packed' : 'separate';
  const weights = new Map<string, LayerW>();
  const layerW = (group: number, j: number): LayerW => {
    const key = `${group}.${j}`;
    let W = weights.get(key);
    if (!W) {
      W = layerWeights(ctx, w.pp(innerLayerKey(group, j)), layout);
      weights.set(key, W);
    }
    return W;
  };
  // The function body, built from the first layer's weight layout with formal names w0, w1, ….
  const template = layerValues(layerW(0, 0));
  const formals = template.map((_, k) => `w${k}`);
  const maskInput = fused ? 'mask_i32' : 'mask_add';
  // Training graphs with dropout: each layer application gets its own masks (function inputs).
  const H = c.hidden_size;
  const heads = c.num_attention_heads;
  const dropProbs = eager && !!ctx.opts.dropout && c.attention_probs_dropout_prob > 0;
  const dropOutput = eager && !!ctx.opts.dropout && c.hidden_dropout_prob > 0;
  const dropInputs = [...(dropProbs ? ['drop_probs'] : []), ...(dropOutput ? ['drop_output'] : [])];
  const fnInputs = ['h', maskInput, ...(headMask ? ['head_mask'] : []), ...dropInputs, ...formals];
  g.defineFunction(LAYER_FN, fnInputs, (fb) => {
    const formal = new Map(template.map((v, k) => [v, formals[k]!]));
    const W = renameLayerW(layerW(0, 0), (v) => formal.get(v)!);
    const fnMasks: AttentionMasks = fused ? { int32: maskInput } : { additive: maskInput };
    const r = albertLayer(
      { ...ctx.root, g: fb, ...(op ? { attentionOp: op } : {}) },
      c,
      W,
      'h',
      fnMasks,
      headMask ? 'head_mask' : undefined,
      { ...(dropProbs ? { probs: 'drop_probs' } : {}), ...(dropOutput ? { output: 'drop_output' } : {}) },
    );
    return eager ? [r.output, r.probs!] : [r.output];
  });
  const maskValue = fused ? masks.int32! : masks.additive!;
  let application = 0;
  const layerDropout = (): string[] => {
    const k = application++;
    return [
      ...(dropProbs
        ? [
            ctx.dropoutInput(
              `attention_probs.${k}`,
              c.attention_probs_dropout_prob,
              ['rows', heads, 'sequence', 'sequence'],
              (n, s) => [n, heads, s, s],
            ),
          ]
        : []),
      ...(dropOutput
        ? [
            ctx.dropoutInput(`attention_output.${k}`, c.hidden_dropout_prob, ['rows', 'sequence', H], (n, s) => [
              n,
              s,
              H,
            ]),
          ]
        : []),
    ];
  };
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const group = c.groupOfLayer(l);
    const row = headMask
      ? g.op('Reshape', [
          g.op('Gather', [headMask, g.i64([l], [])], { axis: i(0) }),
          g.i64([1, c.num_attention_heads, 1, 1]),
        ]) // [1, heads, 1, 1]
      : undefined;
    for (let j = 0; j < c.inner_group_num; j++) {
      const values = layerValues(layerW(group, j));
      const [out, probs] = g.call(
        LAYER_FN,
        [h, maskValue, ...(row ? [row] : []), ...layerDropout(), ...values],
        eager ? 2 : 1,
      ) as [string, string | undefined];
      h = out;
      hiddenStates.push(h);
      if (probs) attentions.push(probs);
    }
  }
  return { last: h, hiddenStates, attentions };
}
