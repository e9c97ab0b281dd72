// Reverse-mode differentiation of a flat ONNX graph: from a scalar objective back to every parameter
// input, one gradient rule per op (rules/), gradients of a value used several times summed (a shared
// ALBERT layer's weights collect one contribution per layer application).
import type { GraphBuilder } from '../graph/builder.js';
import type { NodeProto } from '../graph/proto.js';
import { GradEmitter } from './emitter.js';
import { mergeWeightGrads, Producers } from './merge-gemms.js';
import { GRAD_RULES } from './rules/index.js';
import type { ShapeInfo } from './shapes.js';

export interface BackwardOptions {
  /** Gather nodes (by output value) whose data row `paddingIdx` gets no gradient (torch's padding_idx). */
  paddingIdx?: ReadonlyMap<string, number>;
}

/**
 * Appends to `g` the nodes computing d`objective`/d`p` for every p in `params` and returns their
 * values by parameter (zeros for a parameter the objective does not depend on). `shapes` must know every
 * value of `g` (ShapeInfo.fromGraph + inferAll).
 */
export function backward(
  g: GraphBuilder,
  shapes: ShapeInfo,
  objective: string,
  params: readonly string[],
  options: BackwardOptions = {},
): Map<string, string> {
  const forward = [...g.nodes];
  const e = new GradEmitter(g, shapes);
  // Values that depend on a parameter through differentiable inputs.
  const live = new Set(params);
  for (const n of forward) {
    const rule = n.domain ? undefined : GRAD_RULES[n.opType!];
    // Ops without a rule pass liveness on too: differentiating through one is then an error, not a zero.
    const from = rule ? rule.inputs.map((k) => n.input?.[k] ?? '') : (n.input ?? []);
    if (from.some((v) => live.has(v))) for (const o of n.output ?? []) if (o && shapes.isFloat(o)) live.add(o);
  }
  // Values the objective depends on.
  const needed = new Set([objective]);
  for (let k = forward.length - 1; k >= 0; k--) {
    const n = forward[k]!;
    if ((n.output ?? []).some((o) => needed.has(o))) for (const v of n.input ?? []) if (v) needed.add(v);
  }
  const contributions = new Map<string, string[]>();
  const add = (v: string, d: string) => {
    const list = contributions.get(v);
    if (list) list.push(d);
    else contributions.set(v, [d]);
  };
  const producers = new Producers(g);
  const dropped = new Set<NodeProto>();
  /** The summed gradient of `v` (a shared weight's Aᵀ·D products as one Gemm, then one Sum node over the rest). */
  const total = (v: string): string | undefined => {
    let list = contributions.get(v);
    if (!list || list.length === 0) return undefined;
    if (list.length > 1) list = mergeWeightGrads(e, producers, list, dropped);
    if (list.length === 1) {
      contributions.set(v, list);
      return list[0];
    }
    const s = e.op('Sum', list);
    contributions.set(v, [s]);
    return s;
  };
  add(
    objective,
    e.op('ConstantOfShape', [e.op('Shape', [objective])], {
      value: { kind: 't', value: { dataType: 1, dims: [1], rawData: new Uint8Array(Float32Array.of(1).buffer) } },
    }),
  );
  for (let k = forward.length - 1; k >= 0; k--) {
    const n = forward[k]!;
    const outs = n.output ?? [];
    if (!outs.some((o) => live.has(o) && needed.has(o) && contributions.has(o))) continue;
    const ins = n.input ?? [];
    const rule = GRAD_RULES[n.opType!];
    if (!rule || n.domain) throw new Error(`no gradient rule for ${n.domain ? `${n.domain}.` : ''}${n.opType}`);
    if (n.opType === 'LayerNormalization') keepNormStats(g, shapes, n);
    const need = ins.map((v, j) => rule.inputs.includes(j) && live.has(v));
    if (!need.some(Boolean)) continue;
    const dy = (n.output ?? []).map((o) => (o && live.has(o) ? total(o) : undefined));
    const pad = options.paddingIdx?.get(outs[0] ?? '');
    const dx = rule.grad({ node: n, x: ins, y: outs, dy, need, e, ...(pad !== undefined ? { paddingIdx: pad } : {}) });
    dx.forEach((d, j) => {
      if (d && need[j]) add(ins[j]!, d);
    });
  }
  const out = new Map<string, string>();
  for (const p of params) out.set(p, total(p) ?? e.zerosLike(p));
  if (dropped.size) g.nodes.splice(0, g.nodes.length, ...g.nodes.filter((n) => !dropped.has(n)));
  return out;
}

/** Gives a forward LayerNormalization node its Mean and InvStdDev outputs (its gradient reads them). */
function keepNormStats(g: GraphBuilder, shapes: ShapeInfo, n: NodeProto): void {
  const outs = n.output!;
  while (outs.length < 3) outs.push('');
  for (const k of [1, 2]) if (!outs[k]) outs[k] = g.fresh('ln_stat');
  shapes.infer(n);
}
