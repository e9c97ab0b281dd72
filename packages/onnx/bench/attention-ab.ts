// A/B of the attention kernels of optimized sdpa graphs (albert-base-v2 shape, seeded random weights):
// com.microsoft Attention vs packed-QKV MatMul + MultiHeadAttention vs unfused ops, per weight dtype.
// Usage: npx tsx packages/onnx/bench/attention-ab.ts [--dtype float32|int8] [--runs 5] [--threads N] [--shapes 1x128,8x128,1x512]
import { parseArgs } from 'node:util';
import { AlbertConfig } from '@albertjs/core';
import { serializeModel } from '../src/graph/serialize.js';
import { buildAlbertGraph } from '../src/model/build.js';
import { type AttentionOp, checkDType, DEFAULT_GRAPH_OPTIONS } from '../src/model/options.js';
import { loadOnnxModel } from '../src/runtime/file-model.js';
import { randomIds, randomWeights } from './random-model.js';

const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'float32' },
    runs: { type: 'string', default: '5' },
    threads: { type: 'string' },
    shapes: { type: 'string', default: '1x128,8x128,1x512' },
  },
});
const dtype = checkDType(values.dtype!);
const config = AlbertConfig.fromPreset('albert-base-v2');
const weights = randomWeights('AlbertModel', config, 0);
const session = values.threads ? { intraOpNumThreads: Number(values.threads) } : {};
const ops: AttentionOp[] = ['Attention', 'MultiHeadAttention', 'unfused'];
const models = [];
for (const attentionOp of ops) {
  const opts = { ...DEFAULT_GRAPH_OPTIONS, flavour: 'optimized' as const, dtype, attentionOp };
  const { builder } = buildAlbertGraph('AlbertModel', config, weights, opts);
  models.push(await loadOnnxModel(serializeModel(builder).model, { head: 'AlbertModel', config, ...session }));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const shape of values.shapes!.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const ids = randomIds(config, B, S, 3);
  const times: number[][] = ops.map(() => []);
  for (const m of models) await m.forward({ input_ids: ids });
  for (let r = 0; r < Number(values.runs); r++) {
    for (const [k, m] of models.entries()) {
      const t0 = performance.now();
      await m.forward({ input_ids: ids });
      times[k]!.push(performance.now() - t0);
    }
  }
  console.log(
    `${dtype} ${shape}: ${ops.map((o, k) => `${o} ${median(times[k]!).toFixed(1)} ms (min ${Math.min(...times[k]!).toFixed(1)})`).join(', ')}`,
  );
}
