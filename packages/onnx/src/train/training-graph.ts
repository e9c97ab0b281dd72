// A training graph for one head: the standard fp32 forward graph with the shared layer inlined, every
// parameter an input (checkpoint name, checkpoint layout), the objective (loss terms, or Σ output ·
// cotangent for AlbertModel), and the backward pass. Inputs: the batch, the parameters, the loss feeds;
// outputs: the head's fields, `loss` and `grad.<checkpoint name>` for every parameter.
import { type AlbertConfig, HEADS, type HeadName, type WeightMap } from '@albertjs/core';
import { backward } from '../autodiff/backward.js';
import { GradEmitter } from '../autodiff/emitter.js';
import { inlineFunctions } from '../autodiff/inline.js';
import { ShapeInfo } from '../autodiff/shapes.js';
import { ints, toAttributeProto } from '../graph/attrs.js';
import type { GraphBuilder } from '../graph/builder.js';
import type { NodeProto } from '../graph/proto.js';
import { buildAlbertGraph } from '../model/build.js';
import type { DropoutSite } from '../model/dropout.js';
import { emitObjective, type Objective } from './loss-graph.js';

export type { Objective };

export interface TrainingGraphOptions {
  objective: Objective;
  positionIds: boolean;
  headMask: boolean;
  /** Build the backward pass (default true); false: a forward graph with the parameters as inputs (evaluation). */
  withGrads?: boolean;
  /** Dropout as in training: a mask input per dropout site with a non-zero probability (model/dropout.ts). */
  dropout?: boolean;
}

export interface TrainingGraph {
  builder: GraphBuilder;
  /** Every trainable parameter: checkpoint name → its shape (the graph input of the same name). */
  params: Map<string, number[]>;
  /** The head's output fields (graph outputs of these names). */
  fields: string[];
  /** The dropout mask inputs, in the order their masks are drawn (empty without dropout). */
  dropout: readonly DropoutSite[];
}

/** The forward graph every training graph starts from: standard fp32 eager, ids in, no extra outputs. */
export function buildTrainingForward(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  o: { positionIds: boolean; headMask: boolean; dropout?: boolean },
): ReturnType<typeof buildAlbertGraph> {
  return buildAlbertGraph(head, config, weights, {
    flavour: 'standard',
    dtype: 'float32',
    attnImplementation: 'eager',
    inputsEmbeds: false,
    positionIds: o.positionIds,
    headMask: o.headMask,
    hiddenStates: false,
    attentions: false,
    dropout: o.dropout ?? false,
  });
}

export function buildTrainingGraph(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  o: TrainingGraphOptions,
): TrainingGraph {
  const built = buildTrainingForward(head, config, weights, o);
  const dropout = built.dropout;
  const g = built.builder;
  const fields = g.outputs.map((v) => v.name);
  inlineFunctions(g);
  const params = paramsAsInputs(g, built.params);
  const shapes = ShapeInfo.fromGraph(g);
  shapes.inferAll(g.nodes);
  const e = new GradEmitter(g, shapes);
  const loss = emitObjective(e, o.objective, fields, head);
  if (o.withGrads === false) return { builder: g, params, fields, dropout };
  const grads = backward(g, shapes, loss, [...params.keys()], { paddingIdx: paddingRows(g, config, head) });
  for (const [name, shape] of params) g.output(`grad.${name}`, grads.get(name)!, 'float32', shape);
  return { builder: g, params, fields, dropout };
}

/**
 * The word-embedding Gathers of `g` (parameters as inputs) and the row that gets no gradient: AlbertEmbeddings'
 * word_embeddings is nn.Embedding(padding_idx=pad_token_id).
 */
export function paddingRows(g: GraphBuilder, config: AlbertConfig, head: HeadName): Map<string, number> {
  const word = `${HEADS[head].basePrefix}embeddings.word_embeddings.weight`;
  const paddingIdx = new Map<string, number>();
  if (config.pad_token_id !== null && config.pad_token_id !== undefined)
    for (const n of g.nodes)
      if (n.opType === 'Gather' && n.input?.[0] === word) paddingIdx.set(n.output![0]!, config.pad_token_id);
  return paddingIdx;
}

/**
 * Turns every fp32 parameter initializer into a graph input named by its checkpoint name, in the
 * checkpoint's layout: a Linear weight stored transposed gets a Transpose node in front of its uses.
 */
export function paramsAsInputs(
  g: GraphBuilder,
  sources: ReadonlyMap<string, { name: string; shape: number[]; transposed: boolean }>,
): Map<string, number[]> {
  const params = new Map<string, number[]>();
  const rename = new Map<string, string>();
  const front: NodeProto[] = [];
  for (const [init, src] of sources) {
    if (!g.initializers.delete(init)) continue;
    if (!params.has(src.name)) {
      params.set(src.name, src.shape);
      g.inputs.push({ name: src.name, elem: 'float32', dims: [...src.shape] });
    }
    if (src.transposed)
      front.push({
        opType: 'Transpose',
        input: [src.name],
        output: [init],
        attribute: [toAttributeProto('perm', ints([1, 0]))],
      });
    else if (init !== src.name) rename.set(init, src.name);
  }
  for (const n of g.nodes) n.input = (n.input ?? []).map((v) => rename.get(v) ?? v);
  g.nodes.unshift(...front);
  return params;
}
