// Per-layer recompute (gradient checkpointing) for onnx training: the head's fp32 forward graph cut at
// the shared-layer calls into three segments, each its own training graph.
//   pre   — everything before the first layer (embeddings, embedding_hidden_mapping_in, the attention
//           mask, head_mask rows): a forward graph, and a backward graph from d h0 to its parameters.
//   layer — ONE application of the shared layer (`albertjs.AlbertLayer`: the group's weights are inputs,
//           so one session serves every layer, group and inner layer): a forward graph h → h', and a
//           backward graph that recomputes the layer from h and maps d h' to d h and d weights.
//   post  — everything after the last layer (pooler, head, objective): loss, fields, d h_L, head grads.
// The forward pass keeps only the hidden state at each layer boundary; recompute.ts runs them.
import type { AlbertConfig, HeadName, WeightMap } from '@albertjs/core';
import { backward } from '../autodiff/backward.js';
import { GradEmitter } from '../autodiff/emitter.js';
import { inlineFunctions } from '../autodiff/inline.js';
import { ShapeInfo } from '../autodiff/shapes.js';
import { ints } from '../graph/attrs.js';
import { GraphBuilder } from '../graph/builder.js';
import { LOCAL_DOMAIN, type NodeProto } from '../graph/proto.js';
import type { ParamSource } from '../model/context.js';
import type { DropoutSite } from '../model/dropout.js';
import { emitCotangentObjective, emitObjective } from './loss-graph.js';
import { buildTrainingForward, type Objective, paddingRows, paramsAsInputs } from './training-graph.js';

/** A segment graph: its builder and its parameters (checkpoint name → shape; graph inputs of those names). */
export interface Segment {
  builder: GraphBuilder;
  params: Map<string, number[]>;
}

export interface SegmentedGraph {
  /** Forward graph of the embeddings: outputs `PRE_OUTPUTS`' values (h0, masks, head_mask rows …). */
  preForward: GraphBuilder;
  /** Backward of the embeddings: inputs as preForward + `cotangent.<h0>`; outputs `grad.<param>`. */
  preBackward: Segment;
  /** The pre values later segments read (graph outputs of preForward, of the same names). */
  preOutputs: string[];
  /** The value name of h0 (the first layer's input). */
  h0: string;
  /** One layer application: inputs h, masks …, `p.w<k>` (weights, checkpoint layout); output `h_out`. */
  layerForward: GraphBuilder;
  /**
   * Its backward: the same inputs + `cotangent.h_out` and `acc.p.w<k>` (the gradients so far); outputs `grad.h`
   * and `grad.p.w<k>` (acc + this application's).
   */
  layerBackward: GraphBuilder;
  /** The layer graphs' weight inputs (`p.w<k>`) and their other inputs except `h`. */
  layerWeights: string[];
  /** Per layer application, in order: layer input name → the value that feeds it (a pre output, a graph input or a checkpoint name). */
  applications: Map<string, string>[];
  /** Head and objective: inputs h_L (named `hLast`), the batch, loss feeds; outputs loss, fields, `grad.<param>`, `grad.h`. */
  post: Segment;
  hLast: string;
  /** The head's output fields. */
  fields: string[];
  /** Every trainable parameter (the union of the segments'). */
  params: Map<string, number[]>;
  /** Every dropout site, in the order their masks are drawn. */
  dropout: readonly DropoutSite[];
  /** The graph inputs (batch, masks, loss feeds) every segment may read, by name. */
  graphInputs: Set<string>;
}

export interface SegmentOptions {
  objective: Objective;
  positionIds: boolean;
  headMask: boolean;
  dropout: boolean;
}

const copy = (n: NodeProto): NodeProto => ({ ...n, input: [...(n.input ?? [])], output: [...(n.output ?? [])] });

export function buildSegments(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  o: SegmentOptions,
): SegmentedGraph {
  const built = buildTrainingForward(head, config, weights, o);
  const g = built.builder;
  const fields = g.outputs.map((v) => v.name);
  const main = g.nodes.map(copy);
  const fn = g.functions[0];
  if (!fn || g.functions.length !== 1) throw new Error(`expected one layer function, found ${g.functions.length}`);
  // Shapes of every main-graph value (inlining keeps their names).
  inlineFunctions(g);
  const shapes = ShapeInfo.fromGraph(g);
  shapes.inferAll(g.nodes);
  const sources = built.params;
  const inputs = new Map(g.inputs.map((v) => [v.name, v]));
  const graphInputs = new Set(inputs.keys());

  const calls = main.filter((n) => n.domain === LOCAL_DOMAIN);
  // Values computed from a layer output (post), and values computed from a parameter.
  const fromCall = new Set<string>();
  const fromParam = new Set<string>(sources.keys());
  for (const n of main) {
    const ins = n.input ?? [];
    if (n.domain === LOCAL_DOMAIN || ins.some((v) => fromCall.has(v))) for (const v of n.output ?? []) fromCall.add(v);
    if (ins.some((v) => fromParam.has(v))) for (const v of n.output ?? []) fromParam.add(v);
  }
  const producer = new Map<string, NodeProto>();
  for (const n of main) for (const v of n.output ?? []) if (v) producer.set(v, n);
  const isPost = (n: NodeProto) => n.domain !== LOCAL_DOMAIN && (n.output ?? []).some((v) => fromCall.has(v));
  const preNodes = main.filter((n) => n.domain !== LOCAL_DOMAIN && !isPost(n));
  const postNodes = main.filter(isPost);

  // The layer chain: call k reads call k-1's first output; post reads only the last one's.
  const hLast = calls.at(-1)!.output![0]!;
  const h0 = calls[0]!.input![0]!;
  for (const [k, c] of calls.entries())
    if (k > 0 && c.input![0] !== calls[k - 1]!.output![0])
      throw new Error(`layer application ${k} does not read the previous layer's output`);
  const callOutputs = new Set(calls.flatMap((c) => c.output ?? []));
  for (const n of postNodes)
    for (const v of n.input ?? [])
      if (callOutputs.has(v) && v !== hLast) throw new Error(`the head reads layer value ${v}, not the last output`);

  // Post pulls in the parameter-free pre nodes it needs (shapes of the ids …); parameter-dependent pre
  // values it reads (none in ALBERT's heads) are pre outputs, which must then carry no gradient.
  const postSet = new Set(postNodes);
  const postNeeds = new Set<string>();
  const pull = (v: string) => {
    const n = producer.get(v);
    if (!n || postSet.has(n) || n.domain === LOCAL_DOMAIN) return;
    if (fromParam.has(v)) {
      if (shapes.isFloat(v)) throw new Error(`the head reads ${v}, a parameter-dependent value before the layers`);
      postNeeds.add(v);
      return;
    }
    postSet.add(n);
    for (const x of n.input ?? []) if (x) pull(x);
  };
  for (const n of postNodes) for (const v of n.input ?? []) if (v) pull(v);
  const postAll = main.filter((n) => postSet.has(n));

  // The layer segment's inputs: `h`, the masks / head_mask row / dropout masks, then the weights.
  const formals = fn.input ?? [];
  const layerWeights: string[] = [];
  const applications: Map<string, string>[] = calls.map(() => new Map());
  const preOutputs = new Set<string>([h0, ...postNeeds]);
  const layerInputs: { name: string; actual0: string; source?: ParamSource }[] = [];
  for (const [j, formal] of formals.entries()) {
    if (j === 0) continue;
    const first = calls[0]!.input![j]!;
    const source = sources.get(first);
    const name = source ? `p.${formal}` : formal;
    if (source) layerWeights.push(name);
    layerInputs.push({ name, actual0: first, ...(source ? { source } : {}) });
    for (const [k, c] of calls.entries()) {
      const actual = c.input![j]!;
      const s = sources.get(actual);
      if (!!s !== !!source || (s && s.transposed !== source!.transposed))
        throw new Error(`layer input ${formal} is a weight in some applications only`);
      if (s) applications[k]!.set(name, s.name);
      else {
        if (fromParam.has(actual)) throw new Error(`layer input ${actual} depends on a parameter`);
        if (!graphInputs.has(actual)) preOutputs.add(actual);
        applications[k]!.set(name, actual);
      }
    }
  }

  // pre: forward and backward.
  const dims = (v: string) => inputs.get(v)?.dims ?? shapes.shape(v);
  const segment = (name: string, nodes: readonly NodeProto[], extraInputs: readonly string[]) => {
    const s = new GraphBuilder(name);
    const produced = new Set(nodes.flatMap((n) => n.output ?? []));
    const read = new Set(nodes.flatMap((n) => n.input ?? []));
    for (const v of extraInputs) s.input(v, shapes.elem(v), [...dims(v)]);
    for (const v of inputs.keys())
      if (read.has(v) && !extraInputs.includes(v)) s.input(v, inputs.get(v)!.elem, [...inputs.get(v)!.dims]);
    for (const [k, t] of g.initializers) if (read.has(k) && !produced.has(k)) s.initializer(k, t.elem, t.dims, t.bytes);
    for (const n of nodes) s.addNode(copy(n));
    return s;
  };
  const preList = [...preOutputs];
  const preForward = segment('pre', preNodes, []);
  paramsAsInputs(preForward, sources); // the same parameters as preBackward's
  for (const v of preList) preForward.outputs.push({ name: v, elem: shapes.elem(v), dims: [...shapes.shape(v)] });
  const preBackward = withGrads(segment('pre_backward', preNodes, []), sources, config, head, (e) =>
    emitCotangentObjective(e, [h0], (v) => v),
  );

  // layer: one application with formal names.
  const layer = (name: string) => {
    const s = new GraphBuilder(name);
    s.functions.push(fn);
    const actuals = ['h'];
    s.input('h', 'float32', [...shapes.shape(h0)]);
    for (const x of layerInputs) {
      if (!x.source) {
        s.input(x.name, shapes.elem(x.actual0), [...dims(x.actual0)]);
        actuals.push(x.name);
        continue;
      }
      s.input(x.name, 'float32', [...x.source.shape]);
      actuals.push(
        x.source.transposed
          ? s.op('Transpose', [x.name], { perm: ints([1, 0]) }) // [in, out]
          : x.name,
      );
    }
    const outs = s.call(fn.name!, actuals, (fn.output ?? []).length);
    inlineFunctions(s);
    return { s, out: outs[0]! };
  };
  const lf = layer('layer');
  lf.s.output('h_out', lf.out, 'float32', [...shapes.shape(hLast)]);
  const lb = layer('layer_backward');
  {
    const ls = ShapeInfo.fromGraph(lb.s);
    ls.inferAll(lb.s.nodes);
    const e = new GradEmitter(lb.s, ls);
    const objective = emitCotangentObjective(e, ['h_out'], () => lb.out);
    const grads = backward(lb.s, ls, objective, ['h', ...layerWeights]);
    lb.s.output('grad.h', grads.get('h')!, 'float32', [...shapes.shape(h0)]);
    // The shared layer's gradients accumulate in the graph: grad.<w> = acc.<w> + this application's
    // (one Add on onnxruntime instead of a host loop over ≈ 7 M floats per application).
    for (const w of layerWeights) {
      const acc = e.g.input(`acc.${w}`, 'float32', [...ls.shape(w)]);
      lb.s.output(`grad.${w}`, e.g.op('Add', [acc, grads.get(w)!]), 'float32', [...ls.shape(w)]);
    }
  }

  // post: head and objective, with d h_L.
  const postBuilder = segment('post', postAll, [hLast, ...postNeeds]);
  for (const f of fields) postBuilder.outputs.push({ ...g.outputs.find((v) => v.name === f)! });
  const post = withGrads(postBuilder, sources, config, head, (e) => emitObjective(e, o.objective, fields, head), hLast);

  const params = new Map([...preBackward.params, ...post.params]);
  for (const [k, c] of calls.entries())
    for (const w of layerWeights) {
      const name = applications[k]!.get(w)!;
      params.set(name, [...sources.get(c.input![formals.indexOf(w.slice(2))]!)!.shape]);
    }
  return {
    preForward,
    preBackward,
    preOutputs: preList,
    h0,
    layerForward: lf.s,
    layerBackward: lb.s,
    layerWeights,
    applications,
    post,
    hLast,
    fields,
    params,
    dropout: built.dropout,
    graphInputs,
  };
}

/**
 * Turns `s`'s parameter initializers into inputs, emits the objective (`objective` returns its scalar) and
 * the backward pass to every parameter (and to `extra`, an input: `grad.h`).
 */
function withGrads(
  s: GraphBuilder,
  sources: ReadonlyMap<string, ParamSource>,
  config: AlbertConfig,
  head: HeadName,
  objective: (e: GradEmitter) => string,
  extra?: string,
): Segment {
  const params = paramsAsInputs(s, sources);
  const shapes = ShapeInfo.fromGraph(s);
  shapes.inferAll(s.nodes);
  const e = new GradEmitter(s, shapes);
  const loss = objective(e);
  const wrt = [...params.keys(), ...(extra ? [extra] : [])];
  const grads = backward(s, shapes, loss, wrt, { paddingIdx: paddingRows(s, config, head) });
  for (const [name, shape] of params) s.output(`grad.${name}`, grads.get(name)!, 'float32', shape);
  if (extra) s.output('grad.h', grads.get(extra)!, 'float32', [...shapes.shape(extra)]);
  return { builder: s, params };
}
