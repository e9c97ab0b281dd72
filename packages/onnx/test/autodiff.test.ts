// Every gradient rule against central finite differences of the same graph run forward by onnxruntime:
// for each op, objective = Σ op(x, y) · c (c random), its gradient from the backward graph vs
// (f(x + h) − f(x − h)) / 2h per element (float32, so a relative tolerance of 1e-2).
import { mulberry32 } from '@albertjs/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { backward } from '../src/autodiff/backward.js';
import { GradEmitter } from '../src/autodiff/emitter.js';
import { ShapeInfo } from '../src/autodiff/shapes.js';
import { type Attr, f, i, ints } from '../src/graph/attrs.js';
import { GraphBuilder } from '../src/graph/builder.js';
import { serializeModel } from '../src/graph/serialize.js';

interface Case {
  name: string;
  inputs: Record<string, number[]>;
  /** Builds the op under test from the input values; returns its output. */
  build: (e: GradEmitter, x: Record<string, string>) => string;
  /** Values are drawn from [lo, hi) (default [-1.5, 1.5)). */
  range?: [number, number];
}

const op =
  (type: string, attrs: Record<string, Attr> = {}) =>
  (e: GradEmitter, x: Record<string, string>) =>
    e.op(type, Object.values(x), attrs);

const CASES: Case[] = [
  { name: 'Add (broadcast [3])', inputs: { a: [2, 3], b: [3] }, build: op('Add') },
  { name: 'Sub (broadcast [1, 3])', inputs: { a: [2, 3], b: [1, 3] }, build: op('Sub') },
  { name: 'Mul (broadcast [2, 1])', inputs: { a: [2, 3], b: [2, 1] }, build: op('Mul') },
  { name: 'Div', inputs: { a: [2, 3], b: [3] }, build: op('Div'), range: [0.5, 2] },
  { name: 'Sum', inputs: { a: [2, 3], b: [3], c: [2, 3] }, build: op('Sum') },
  { name: 'Neg', inputs: { a: [4] }, build: op('Neg') },
  {
    name: 'Where',
    inputs: { a: [2, 3], b: [3] },
    build: (e, x) => e.op('Where', [e.op('Greater', [x.a!, e.f32(0)]), x.a!, x.b!]),
  },
  { name: 'Expand', inputs: { a: [3, 1] }, build: (e, x) => e.op('Expand', [x.a!, e.i64([2, 3, 4])]) },
  { name: 'Erf', inputs: { a: [5] }, build: op('Erf') },
  { name: 'Tanh', inputs: { a: [5] }, build: op('Tanh') },
  { name: 'Sigmoid', inputs: { a: [5] }, build: op('Sigmoid') },
  { name: 'Relu', inputs: { a: [6] }, build: op('Relu') },
  { name: 'Exp', inputs: { a: [5] }, build: op('Exp') },
  { name: 'Log', inputs: { a: [5] }, build: op('Log'), range: [0.5, 2] },
  { name: 'Abs', inputs: { a: [6] }, build: op('Abs') },
  { name: 'Softplus', inputs: { a: [5] }, build: op('Softplus') },
  { name: 'Softmax', inputs: { a: [2, 4] }, build: op('Softmax', { axis: i(-1) }) },
  { name: 'LogSoftmax', inputs: { a: [2, 4] }, build: op('LogSoftmax', { axis: i(-1) }) },
  { name: 'MatMul [2, 3, 4] × [4, 5]', inputs: { a: [2, 3, 4], b: [4, 5] }, build: op('MatMul') },
  { name: 'MatMul [2, 2, 3, 4] × [2, 2, 4, 3]', inputs: { a: [2, 2, 3, 4], b: [2, 2, 4, 3] }, build: op('MatMul') },
  { name: 'MatMul [3, 4] × [2, 4, 5]', inputs: { a: [3, 4], b: [2, 4, 5] }, build: op('MatMul') },
  { name: 'Gemm', inputs: { a: [3, 4], b: [4, 2], c: [2] }, build: op('Gemm') },
  { name: 'Gemm transA', inputs: { a: [4, 3], b: [4, 2] }, build: op('Gemm', { transA: i(1) }) },
  { name: 'Gemm transB', inputs: { a: [3, 4], b: [2, 4], c: [2] }, build: op('Gemm', { transB: i(1) }) },
  {
    // a weight used by three MatMuls (as a shared ALBERT layer's): its Aᵀ·dY products become one Gemm (merge-gemms.ts)
    name: 'MatMul weight shared by three uses',
    inputs: { a: [2, 3, 4], b: [3, 4], w: [4, 2] },
    build: (e, x) =>
      e.op('Sum', [
        e.op('MatMul', [x.a!, x.w!]),
        e.op('MatMul', [x.b!, x.w!]),
        e.op('Tanh', [e.op('MatMul', [x.b!, x.w!])]),
      ]),
  },
  { name: 'Gemm transA transB', inputs: { a: [4, 3], b: [2, 4] }, build: op('Gemm', { transA: i(1), transB: i(1) }) },
  { name: 'Transpose', inputs: { a: [2, 3, 4] }, build: op('Transpose', { perm: ints([1, 2, 0]) }) },
  { name: 'Reshape', inputs: { a: [3, 4] }, build: (e, x) => e.op('Reshape', [x.a!, e.i64([0, 2, -1])]) }, // [3, 2, 2]
  { name: 'Flatten', inputs: { a: [2, 3, 2] }, build: op('Flatten', { axis: i(2) }) },
  { name: 'Unsqueeze', inputs: { a: [2, 3] }, build: (e, x) => e.op('Unsqueeze', [x.a!, e.i64([1])]) },
  { name: 'Squeeze', inputs: { a: [2, 1, 3] }, build: (e, x) => e.op('Squeeze', [x.a!, e.i64([1])]) },
  {
    name: 'Split (one output unused)',
    inputs: { a: [2, 5] },
    build: (e, x) => e.opN('Split', [x.a!, e.i64([2, 3])], { axis: i(1) }, { outputs: 2 })[1]!,
  },
  {
    name: 'Gather axis 0, repeated ids',
    inputs: { a: [4, 3] },
    build: (e, x) => e.op('Gather', [x.a!, e.i64([1, 3, 1, 0, 1, 2], [2, 3])], { axis: i(0) }),
  },
  {
    name: 'Gather axis 1, scalar index',
    inputs: { a: [2, 4, 3] },
    build: (e, x) => e.op('Gather', [x.a!, e.i64([2], [])], { axis: i(1) }),
  },
  {
    name: 'Gather axis 1, [2, 2] indices',
    inputs: { a: [2, 4, 3] },
    build: (e, x) => e.op('Gather', [x.a!, e.i64([0, 3, 3, 1], [2, 2])], { axis: i(1) }),
  },
  {
    name: 'GatherElements',
    inputs: { a: [3, 4] },
    build: (e, x) => e.op('GatherElements', [x.a!, e.i64([0, 3, 1, 1, 2, 2], [3, 2])], { axis: i(1) }),
  },
  {
    name: 'LayerNormalization',
    inputs: { a: [2, 3, 5], g: [5], b: [5] },
    build: (e, x) => e.op('LayerNormalization', [x.a!, x.g!, x.b!], { axis: i(-1), epsilon: f(1e-5) }),
  },
  {
    name: 'ReduceSum axes [1] keepdims 0',
    inputs: { a: [2, 3, 4] },
    build: (e, x) => e.op('ReduceSum', [x.a!, e.i64([1])], { keepdims: i(0) }),
  },
  { name: 'ReduceMean axes [-1]', inputs: { a: [2, 3] }, build: op('ReduceMean', { axes: ints([-1]) }) },
];

async function check(c: Case): Promise<number> {
  const rand = mulberry32(7);
  const [lo, hi] = c.range ?? [-1.5, 1.5];
  const g = new GraphBuilder('t');
  const values: Record<string, Float32Array> = {};
  const names: Record<string, string> = {};
  for (const [n, dims] of Object.entries(c.inputs)) {
    names[n] = g.input(n, 'float32', dims);
    // values away from Relu's and Abs's kink at 0
    values[n] = Float32Array.from({ length: dims.reduce((p, q) => p * q, 1) }, () => {
      const v = lo + (hi - lo) * rand();
      return Math.abs(v) < 0.1 ? v + 0.2 : v;
    });
  }
  const shapes = ShapeInfo.fromGraph(g);
  const e = new GradEmitter(g, shapes);
  const y = c.build(e, names);
  const cot = Float32Array.from(
    { length: shapes.shape(y).reduce<number>((p, q) => p * Number(q), 1) },
    () => rand() - 0.5,
  );
  const cv = g.initializer('cot', 'float32', shapes.shape(y) as number[], cot);
  shapes.set(cv, shapes.shape(y), 'float32');
  const obj = e.op('ReduceSum', [e.op('Mul', [y, cv])], { keepdims: i(0) });
  const grads = backward(g, shapes, obj, Object.keys(c.inputs));
  g.output('obj', obj, 'float32', []);
  for (const n of Object.keys(c.inputs)) g.output(`grad.${n}`, grads.get(n)!, 'float32', c.inputs[n]!);
  const session = await ort.InferenceSession.create(serializeModel(g).model);
  const run = async (vals: Record<string, Float32Array>) => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [n, dims] of Object.entries(c.inputs)) feeds[n] = new ort.Tensor('float32', vals[n]!, dims);
    return session.run(feeds);
  };
  const base = await run(values);
  let worst = 0;
  const h = 1e-2;
  for (const n of Object.keys(c.inputs)) {
    const got = base[`grad.${n}`]!.data as Float32Array;
    for (let k = 0; k < values[n]!.length; k++) {
      const at = (delta: number) => {
        const v = Float32Array.from(values[n]!);
        v[k]! += delta;
        return run({ ...values, [n]: v }).then((r) => (r.obj!.data as Float32Array)[0]!);
      };
      const fd = ((await at(h)) - (await at(-h))) / (2 * h);
      worst = Math.max(worst, Math.abs(got[k]! - fd) / Math.max(1, Math.abs(fd)));
    }
  }
  await session.release();
  return worst;
}

describe('shared weights', () => {
  it('sum their Aᵀ·dY products as one Gemm over the concatenated rows, with no Sum of weight-sized values', () => {
    const g = new GraphBuilder('t');
    const [a, b, w] = [
      g.input('a', 'float32', [2, 3, 4]),
      g.input('b', 'float32', [3, 4]),
      g.input('w', 'float32', [4, 2]),
    ];
    const shapes = ShapeInfo.fromGraph(g);
    const e = new GradEmitter(g, shapes);
    const y = e.op('Sum', [e.op('MatMul', [a, w]), e.op('MatMul', [b, w]), e.op('MatMul', [b, w])]);
    const obj = e.op('ReduceSum', [y], { keepdims: i(0) });
    const dw = backward(g, shapes, obj, ['w']).get('w')!;
    const producer = g.nodes.find((n) => n.output?.includes(dw))!;
    expect(producer.opType).toBe('Gemm');
    expect(g.nodes.filter((n) => n.opType === 'Concat')).toHaveLength(2);
    expect(shapes.shape(producer.input![0]!)).toEqual([12, 4]); // 6 + 3 + 3 rows
    expect(
      g.nodes.filter((n) => n.opType === 'Gemm' && n.output![0] !== dw && n.input?.includes(producer.input![0]!)),
    ).toHaveLength(0);
    // every node's inputs are produced by a kept node or are graph inputs / initializers
    const made = new Set([
      ...g.inputs.map((v) => v.name),
      ...g.initializers.keys(),
      ...g.nodes.flatMap((n) => n.output ?? []),
    ]);
    for (const n of g.nodes) for (const v of n.input ?? []) if (v) expect(made.has(v), v).toBe(true);
  });
});

describe('gradient rules match finite differences', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    expect(await check(c)).toBeLessThan(1e-2);
  });
});
