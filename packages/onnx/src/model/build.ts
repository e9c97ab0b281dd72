// One ONNX graph for one ALBERT head: inputs named as transformers' forward() arguments, outputs named
// as the ModelOutput fields (`last_hidden_state`, `logits`, `hidden_states.3`, `attentions.0` …).
import type { AlbertConfig, HeadName, WeightMap } from '@albertjs/core';
import { ConfigError, HEADS } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import { type Dim, GraphBuilder } from '../graph/builder.js';
import { albertModel } from './albert.js';
import { BuildContext, type ParamSource } from './context.js';
import type { DropoutSite } from './dropout.js';
import type { EmbeddingInputs } from './embeddings.js';
import { headOutputs } from './heads.js';
import type { GraphOptions } from './options.js';

export interface BuiltGraph {
  builder: GraphBuilder;
  /** Graph input names, in order. */
  inputs: string[];
  /** Graph output names, in order: head fields first, then hidden_states.*, then attentions.*. */
  outputs: string[];
  /** The float32 parameter initializers by initializer name, with their checkpoint names. */
  params: ReadonlyMap<string, ParamSource>;
  /** The dropout mask inputs (opts.dropout), in the order their masks are drawn. */
  dropout: readonly DropoutSite[];
}

export function buildAlbertGraph(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  opts: GraphOptions,
): BuiltGraph {
  if (opts.attentions && opts.attnImplementation !== 'eager')
    throw new ConfigError('attentions outputs need the eager graph (attnImplementation: "eager")');
  if (opts.headMask && opts.attnImplementation !== 'eager')
    throw new ConfigError('head_mask needs the eager graph (attnImplementation: "eager")');
  if (opts.dropout && (opts.flavour !== 'standard' || opts.attnImplementation !== 'eager'))
    throw new ConfigError('dropout in the graph needs a standard eager graph (a training graph)');
  const g = new GraphBuilder(head);
  const ctx = new BuildContext(g, config, weights, opts);
  const mc = head === 'AlbertForMultipleChoice';
  const ids: Dim[] = mc ? ['batch', 'num_choices', 'sequence'] : ['batch', 'sequence'];
  const src = opts.inputsEmbeds
    ? g.input('inputs_embeds', 'float32', [...ids, config.embedding_size])
    : g.input('input_ids', 'int64', ids);
  const attentionMask = g.input('attention_mask', 'int64', ids);
  const tokenTypeIds = g.input('token_type_ids', 'int64', ids);
  const positionIds = opts.positionIds ? g.input('position_ids', 'int64', ids) : undefined;
  const headMask = opts.headMask
    ? g.input('head_mask', 'float32', [config.num_hidden_layers, config.num_attention_heads])
    : undefined;
  // AlbertForMultipleChoice.forward: input_ids.view(-1, S) etc.
  const flat = (v: string) => (mc ? g.op('Flatten', [v], { axis: i(2) }) : v); // [B*C, S]
  const x: EmbeddingInputs = {
    tokenTypeIds: flat(tokenTypeIds),
    ...(opts.inputsEmbeds
      ? {
          inputsEmbeds: mc
            ? g.op('Reshape', [
                src,
                g.op('Concat', [g.i64([-1]), g.op('Shape', [src], { start: i(2) })], { axis: i(0) }),
              ])
            : src,
        } // [B*C, S, E]
      : { inputIds: flat(src) }),
    ...(positionIds ? { positionIds: flat(positionIds) } : {}),
  };
  const choices = mc ? g.op('Shape', [src], { start: i(1), end: i(2) }) : undefined; // [1]
  const base = albertModel(
    ctx,
    HEADS[head].basePrefix ? weights.pp('albert') : weights,
    x,
    flat(attentionMask),
    headMask,
    HEADS[head].pooler,
  );
  const fields = headOutputs(ctx, head, weights, base, choices);
  const N = mc ? 'batch_x_choices' : 'batch';
  for (const [name, { value, dims }] of Object.entries(fields)) g.output(name, value, 'float32', dims);
  if (opts.hiddenStates) {
    for (const [k, v] of base.hiddenStates.entries())
      g.output(`hidden_states.${k}`, v, 'float32', [N, 'sequence', config.hidden_size]);
  }
  if (opts.attentions) {
    for (const [k, v] of base.attentions.entries())
      g.output(`attentions.${k}`, v, 'float32', [N, config.num_attention_heads, 'sequence', 'sequence']);
  }
  return {
    builder: g,
    inputs: g.inputs.map((v) => v.name),
    outputs: g.outputs.map((v) => v.name),
    params: ctx.sources,
    dropout: ctx.dropoutSites,
  };
}
