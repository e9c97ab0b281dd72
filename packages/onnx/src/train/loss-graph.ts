// The objective in the training graph: the loss terms (loss-terms.ts) over the head's output fields, or
// for AlbertModel Σ output · cotangent (the fixtures' objective for a head without a loss).

import type { GradEmitter } from '../autodiff/emitter.js';
import { i } from '../graph/attrs.js';
import { type LossTerm, termInput } from './loss-terms.js';

/** Emits Σ terms; `field(name)` is the value of an output field. Returns the scalar loss. */
export function emitLossTerms(e: GradEmitter, terms: readonly LossTerm[], field: (name: string) => string): string {
  const { g } = e;
  const input = (name: string, elem: 'int64' | 'float32') => {
    g.input(name, elem, [`${name}.n`]);
    e.s.set(name, [`${name}.n`], elem);
    return name;
  };
  const sumAll = (v: string) => e.op('ReduceSum', [v], { keepdims: i(0) }); // []
  const parts = terms.map((t, k) => {
    const x = field(t.field);
    const w = input(termInput(k, 'weights'), 'float32');
    if (t.kind === 'ce') {
      const rows = input(termInput(k, 'rows'), 'int64');
      const targets = input(termInput(k, 'targets'), 'int64');
      const flat = e.op('Flatten', [x], { axis: i(e.rank(x) - 1) }); // [rows, classes]
      const logp = e.op('LogSoftmax', [e.op('Gather', [flat, rows], { axis: i(0) })], { axis: i(-1) }); // [R, classes]
      const picked = e.op('GatherElements', [logp, e.op('Unsqueeze', [targets, e.i64([1])])], { axis: i(1) }); // [R, 1]
      const nll = e.op('Reshape', [picked, e.i64([-1])]); // [R]
      return e.op('Neg', [sumAll(e.op('Mul', [nll, w]))]);
    }
    const y = input(termInput(k, 'targets'), 'float32');
    const flat = e.op('Reshape', [x, e.i64([-1])]); // [n]
    if (t.kind === 'mse') {
      const d = e.op('Sub', [flat, y]);
      return sumAll(e.op('Mul', [e.op('Mul', [d, d]), w]));
    }
    // max(x, 0) − x·y + log1p(exp(−|x|)) = relu(x) − x·y + softplus(−|x|)
    const per = e.op('Add', [
      e.op('Sub', [e.op('Relu', [flat]), e.op('Mul', [flat, y])]),
      e.op('Softplus', [e.op('Neg', [e.op('Abs', [flat])])]),
    ]);
    return sumAll(e.op('Mul', [per, w]));
  });
  return parts.length === 1 ? parts[0]! : e.op('Sum', parts);
}

/** Σ_k sum(output_k · cotangent_k) with one `cotangent.<name>` input per output field. */
export function emitCotangentObjective(
  e: GradEmitter,
  names: readonly string[],
  field: (name: string) => string,
): string {
  const parts = names.map((name) => {
    const x = field(name);
    const cot = `cotangent.${name}`;
    e.g.input(cot, 'float32', e.shape(x));
    e.s.set(cot, [...e.shape(x)], 'float32');
    return e.op('ReduceSum', [e.op('Mul', [x, cot])], { keepdims: i(0) }); // []
  });
  return parts.length === 1 ? parts[0]! : e.op('Sum', parts);
}

/** What the objective is: loss terms over the head's fields, or cotangents of AlbertModel's outputs. */
export type Objective = { terms: readonly LossTerm[] } | { cotangents: readonly string[] };

/** Emits the objective over the head's output `fields` as the graph output `loss`; returns the scalar. */
export function emitObjective(e: GradEmitter, objective: Objective, fields: readonly string[], head: string): string {
  const field = (name: string) => {
    if (!fields.includes(name)) throw new Error(`${head} has no output ${name}`);
    return name;
  };
  const loss =
    'terms' in objective
      ? emitLossTerms(e, objective.terms, field)
      : emitCotangentObjective(e, objective.cotangents, field);
  e.g.output('loss', loss, 'float32', []);
  return loss;
}
