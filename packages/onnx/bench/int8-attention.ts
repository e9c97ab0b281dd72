// A/B: int8 optimized graphs with the unfused attention (default) vs DynamicQuantizeMatMul + MultiHeadAttention.
// Usage: npx tsx packages/onnx/bench/int8-attention.ts [--runs 3] [--threads N]
import { parseArgs } from 'node:util';
import { AlbertConfig, type Tensor } from '@albertjs/core';
import { serializeModel } from '../src/graph/serialize.js';
import { buildAlbertGraph } from '../src/model/build.js';
import { DEFAULT_GRAPH_OPTIONS } from '../src/model/options.js';
import { loadOnnxModel } from '../src/runtime/file-model.js';
import { randomIds, randomWeights } from './random-model.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    threads: { type: 'string' },
    shapes: { type: 'string', default: '1x128,1x512,8x128' },
  },
});
const config = AlbertConfig.fromPreset('albert-base-v2');
const weights = randomWeights('AlbertModel', config, 0);
const threads = values.threads ? { intraOpNumThreads: Number(values.threads) } : {};
const models = [];
for (const fusedInt8Attention of [false, true]) {
  const { builder } = buildAlbertGraph('AlbertModel', config, weights, {
    ...DEFAULT_GRAPH_OPTIONS,
    flavour: 'optimized',
    dtype: 'int8',
    fusedInt8Attention,
  });
  models.push(await loadOnnxModel(serializeModel(builder).model, { head: 'AlbertModel', config, ...threads }));
}
for (const shape of values.shapes!.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const ids: Tensor<BigInt64Array> = randomIds(config, B, S, 3);
  const t: number[][] = [[], []];
  for (const m of models) await m.forward({ input_ids: ids });
  for (let r = 0; r < Number(values.runs); r++) {
    for (const [k, m] of models.entries()) {
      const t0 = performance.now();
      await m.forward({ input_ids: ids });
      t[k]!.push(performance.now() - t0);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${shape}: unfused ${med(t[0]!).toFixed(1)} ms, MultiHeadAttention ${med(t[1]!).toFixed(1)} ms`);
}
