// Where an OnnxTrainer step's time goes, per onnxruntime session, at albert-base 1 × 128 (1 thread): with --rc the
// per-layer recompute segments (sessions in creation order: 1 embeddings forward, 2 embeddings backward, 3 layer
// forward, 4 layer backward with recompute, 5 head + loss), without it the single training graph (session 1;
// session 0 is the model's inference warm-up). 3 untimed steps, then 4 timed ones; times are per step.
// Usage: npx tsx --conditions=@albertjs/source packages/onnx/bench/recompute-phases.ts [--rc]
import { AlbertConfig, mulberry32, Tensor } from '@albertjs/core';
import * as ort from 'onnxruntime-node';
import { createBackend, OnnxTrainer } from '../src/index.js';
import type { OnnxModelHandle } from '../src/runtime/handle.js';
import type { OrtModule } from '../src/runtime/ort.js';
import { randomWeights } from './random-model.js';

const times = new Map<number, number[]>();
let nSess = 0;
const runtime = {
  ...ort,
  InferenceSession: {
    create: async (m: Uint8Array, o: ort.InferenceSession.SessionOptions) => {
      const s = await ort.InferenceSession.create(m, o);
      const id = nSess++;
      const run = s.run.bind(s);
      (s as unknown as { run: unknown }).run = async (...a: Parameters<typeof run>) => {
        const t = performance.now();
        const r = await run(...a);
        (times.get(id) ?? times.set(id, []).get(id)!).push(performance.now() - t);
        return r;
      };
      return s;
    },
  },
} as unknown as OrtModule;
const head = 'AlbertForSequenceClassification';
const config = AlbertConfig.fromPreset('albert-base-v2', {});
const backend = await createBackend({
  ort: runtime,
  flavour: 'standard',
  intraOpNumThreads: 1,
  gradientCheckpointing: process.argv.includes('--rc'),
});
const model = (await backend.loadModel(head, config, randomWeights(head, config, 0))) as unknown as OnnxModelHandle<
  typeof head
>;
const r = mulberry32(1);
const batch = () => ({
  input_ids: new Tensor(
    'int64',
    BigInt64Array.from({ length: 128 }, () => BigInt(5 + Math.floor(r() * 29000))),
    [1, 128],
  ),
  labels: new Tensor('int64', BigInt64Array.of(1n), [1]),
});
const t = new OnnxTrainer(model, { learningRate: 1e-5, totalSteps: 100 });
for (let k = 0; k < 3; k++) await t.trainStep(batch());
times.clear();
const steps: number[] = [];
for (let k = 0; k < 4; k++) {
  const t0 = performance.now();
  await t.trainStep(batch());
  steps.push(performance.now() - t0);
}
console.log('steps', steps.map((x) => x.toFixed(0)).join(' '));
for (const [id, ts] of [...times].sort((a, b) => a[0] - b[0]))
  console.log(`session ${id}: ${ts.length} runs, ${(ts.reduce((a, b) => a + b, 0) / 4).toFixed(0)} ms per step`);
