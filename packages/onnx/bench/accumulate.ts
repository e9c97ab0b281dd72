// Summing a shared ALBERT layer's gradients over its applications (per-layer recompute, train/recompute.ts): an
// Add in the layer's backward graph (acc.<w> in, grad.<w> out) vs a host loop over the Float32Arrays, on albert-base's
// 16 shared-layer tensors (7.1 M floats). The Add graph's run minus an Identity graph's (same inputs, same output
// copies) is the kernel's cost; the host loop is what accumulating on the host adds per layer application.
// Usage: npx tsx --conditions=@albertjs/source packages/onnx/bench/accumulate.ts
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../src/graph/builder.js';
import { serializeModel } from '../src/graph/serialize.js';

const shapes = [
  [768, 768],
  [768],
  [768, 768],
  [768],
  [768, 768],
  [768],
  [768, 768],
  [768],
  [768],
  [768],
  [3072, 768],
  [3072],
  [768, 3072],
  [768],
  [768],
  [768],
];
const make = async (op: 'Add' | 'Identity') => {
  const g = new GraphBuilder('acc');
  shapes.forEach((d, k) => {
    const a = g.input(`a${k}`, 'float32', d);
    const b = g.input(`b${k}`, 'float32', d);
    g.output(`y${k}`, op === 'Add' ? g.op('Add', [a, b]) : g.op('Identity', [b]), 'float32', d);
  });
  return ort.InferenceSession.create(serializeModel(g).model, { intraOpNumThreads: 1 });
};
const feeds: Record<string, ort.Tensor> = {};
shapes.forEach((d, k) => {
  const n = d.reduce((x, y) => x * y, 1);
  feeds[`a${k}`] = new ort.Tensor('float32', new Float32Array(n).fill(1), d);
  feeds[`b${k}`] = new ort.Tensor('float32', new Float32Array(n).fill(2), d);
});
const n = shapes.reduce((s, d) => s + d.reduce((x, y) => x * y, 1), 0);
const add = await make('Add');
const id = await make('Identity');
const A: number[] = [],
  I: number[] = [],
  H: number[] = [];
for (let r = 0; r < 30; r++) {
  let t = performance.now();
  await add.run(feeds);
  const ta = performance.now() - t;
  t = performance.now();
  await id.run(feeds);
  const ti = performance.now() - t;
  t = performance.now();
  for (let k = 0; k < shapes.length; k++) {
    const p = feeds[`a${k}`]!.data as Float32Array;
    const q = feeds[`b${k}`]!.data as Float32Array;
    for (let j = 0; j < q.length; j++) p[j]! += q[j]!;
  }
  const th = performance.now() - t;
  A.push(ta);
  I.push(ti);
  H.push(th);
}
const med = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!.toFixed(1);
const min = (x: number[]) => Math.min(...x).toFixed(1);
console.log(
  `${(n / 1e6).toFixed(1)} M floats, 30 runs: onnxruntime Add graph median ${med(A)} / min ${min(A)} ms; Identity graph ${med(I)} / ${min(I)} ms; host loop ${med(H)} / ${min(H)} ms`,
);
