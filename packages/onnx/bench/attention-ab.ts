// A/B of the optimized sdpa graph's variants (albert-base-v2 shape, seeded random weights), interleaved in
// one process: com.microsoft Attention vs MultiHeadAttention fed by three MatMuls (default) or by one packed
// QKV MatMul + Split vs unfused ops, and the default (Add + LayerNormalization) vs SkipLayerNormalization
// nodes. With --torch-model, a torch-style export runs alongside in a plain onnxruntime session with
// onnxruntime's default options (what transformers.js creates).
// Usage: npx tsx --conditions=@albertjs/source packages/onnx/bench/attention-ab.ts [--dtype float32|int8] [--runs 5]
//   [--threads N] [--shapes 1x128,8x128,1x512] [--torch-model model.onnx]
import { parseArgs } from 'node:util';
import { AlbertConfig, type Tensor } from '@albertjs/core';
import { serializeModel } from '../src/graph/serialize.js';
import { buildAlbertGraph } from '../src/model/build.js';
import { checkDType, DEFAULT_GRAPH_OPTIONS, type GraphOptions } from '../src/model/options.js';
import { loadOnnxModel } from '../src/runtime/file-model.js';
import { randomIds, randomWeights } from './random-model.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    dtype: { type: 'string', default: 'float32' },
    runs: { type: 'string', default: '5' },
    threads: { type: 'string' },
    shapes: { type: 'string', default: '1x128,8x128,1x512' },
    'torch-model': { type: 'string' },
  },
});
const dtype = checkDType(values.dtype!);
const config = AlbertConfig.fromPreset('albert-base-v2');
const weights = randomWeights('AlbertModel', config, 0);
const session = values.threads ? { intraOpNumThreads: Number(values.threads) } : {};
const graphs: [string, Partial<GraphOptions>][] = [
  ['Attention', { attentionOp: 'Attention' }],
  ['MultiHeadAttention', { attentionOp: 'MultiHeadAttention' }],
  ['MHA packed QKV', { attentionOp: 'MultiHeadAttention', packedQkv: true }],
  ['unfused', { attentionOp: 'unfused' }],
  ['MHA + SkipLayerNorm', { attentionOp: 'MultiHeadAttention', skipLayerNorm: true }],
];
type Forward = (ids: Tensor<BigInt64Array>) => Promise<unknown>;
const names: string[] = [];
const forwards: Forward[] = [];
if (values['torch-model']) {
  const m = await loadOnnxModel(values['torch-model'], {
    head: 'AlbertModel',
    config,
    ...session,
    disabledOptimizers: [], // onnxruntime's defaults, as transformers.js runs it
  });
  names.push('torch export (ORT defaults)');
  forwards.push((ids) => m.forward({ input_ids: ids }));
}
for (const [name, o] of graphs) {
  const opts = { ...DEFAULT_GRAPH_OPTIONS, flavour: 'optimized' as const, dtype, ...o };
  const { builder } = buildAlbertGraph('AlbertModel', config, weights, opts);
  const m = await loadOnnxModel(serializeModel(builder).model, { head: 'AlbertModel', config, ...session });
  names.push(name);
  forwards.push((ids) => m.forward({ input_ids: ids }));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const shape of values.shapes!.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const ids = randomIds(config, B, S, 3);
  const wall: number[][] = forwards.map(() => []);
  const cpu: number[][] = forwards.map(() => []);
  for (const f of forwards) await f(ids);
  for (let r = 0; r < Number(values.runs); r++) {
    for (const [k, f] of forwards.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await f(ids);
      wall[k]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k]!.push((c.user + c.system) / 1000);
    }
  }
  console.log(
    `${dtype} ${shape}: ${names.map((n, k) => `${n} ${median(wall[k]!).toFixed(1)} ms (min ${Math.min(...wall[k]!).toFixed(1)}, cpu ${median(cpu[k]!).toFixed(1)})`).join(', ')}`,
  );
}
