// Benchmark: albert-base-v2 shape (seeded random weights), batch × seq in {1, 8} × {128, 512}, inference
// (AlbertModel forward) and one fine-tuning step (AlbertForSequenceClassification, AdamW), per tfjs
// runtime and attention implementation: median wall time, tf.profile's peak tensor bytes (per tensor:
// buffers shared by reshapes count again) and, on wasm, the WebAssembly heap after the cell (it only
// grows: the process's high-water mark so far, the memory that actually runs out).
// Usage: pnpm bench [-- --runtimes wasm,cpu --shapes 1x128,8x512 --attn eager,sdpa --repeat 3 --budget 120 --no-train --checkpointing]
import { parseArgs } from 'node:util';
import { AlbertConfig, type AttnImplementation, type HeadName } from '@albertjs/core';
import {
  createBackend,
  initWeights,
  mulberry32,
  type RuntimeName,
  type TfjsAlbertModel,
  type TfjsBackend,
  Trainer,
  tf,
} from '../src/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')), // pnpm forwards a literal '--'
  options: {
    runtimes: { type: 'string', default: 'wasm,cpu' },
    shapes: { type: 'string', default: '1x128,8x128,1x512,8x512' },
    attn: { type: 'string', default: 'eager,sdpa' },
    repeat: { type: 'string', default: '3' },
    /** Seconds a cell may take: cells whose estimate (from the last measured time per token) exceeds it are skipped. */
    budget: { type: 'string', default: '120' },
    'no-train': { type: 'boolean', default: false },
    /** Train with gradient checkpointing (TfjsAlbertModel.gradientCheckpointing). */
    checkpointing: { type: 'boolean', default: false },
    preset: { type: 'string', default: 'albert-base-v2' },
  },
});

interface Row {
  runtime: string;
  attn: AttnImplementation;
  task: 'inference' | 'train step';
  shape: string;
  ms?: number;
  peakMB?: number;
  heapMB?: number;
  note?: string;
}

const repeat = Number(values.repeat);
const budgetMs = Number(values.budget) * 1000;
const shapes = values.shapes.split(',').map((s) => s.split('x').map(Number) as [number, number]);
const rows: Row[] = [];

function inputs(B: number, S: number, vocab: number, labels: boolean) {
  const rand = mulberry32(12345);
  const ids = Array.from({ length: B }, () => Array.from({ length: S }, () => Math.floor(rand() * vocab)));
  return {
    input_ids: ids,
    attention_mask: ids.map((r) => r.map(() => 1)),
    ...(labels ? { labels: ids.map((_, i) => i % 2) } : {}),
  };
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/** Measured matmul rate of the active runtime (FLOP/ms), for estimating cells before running them. */
async function calibrate(): Promise<number> {
  const a = tf.randomNormal([128, 768]);
  const b = tf.randomNormal([768, 3072]);
  tf.matMul(a, b).dispose();
  const t = performance.now();
  for (let i = 0; i < 3; i++) tf.tidy(() => tf.matMul(a, b).dataSync());
  const ms = (performance.now() - t) / 3;
  tf.dispose([a, b]);
  return (2 * 128 * 768 * 3072) / ms;
}

/** FLOP of one forward per token: layers × (4 H² + 2 H I) multiply-adds, plus attention's 2 S H. */
const flopsPerToken = (c: AlbertConfig, S: number) =>
  2 * c.num_hidden_layers * (4 * c.hidden_size ** 2 + 2 * c.hidden_size * c.intermediate_size + 2 * S * c.hidden_size);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(
  backend: TfjsBackend,
  f: () => Promise<unknown>,
  estimateMs: number | undefined,
): Promise<{ ms?: number; peakMB?: number; note?: string }> {
  if (estimateMs !== undefined && estimateMs > budgetMs)
    return { note: `skipped (≈${(estimateMs / 1000).toFixed(0)} s > budget)` };
  let peak = 0;
  const first = await time(async () => {
    const info = await tf.profile(async () => {
      await f();
    });
    peak = info.peakBytes;
  });
  const times = [first];
  // Repeats only when they fit the budget; the first (profiled, warm-up) run counts when alone.
  for (let i = 1; i < repeat && first * (repeat - 1) < budgetMs; i++) times.push(await time(f));
  const ms = times.length > 1 ? median(times.slice(1)) : first;
  const heap = backend.memory().peakBytes; // the wasm heap (undefined on cpu)
  return {
    ms,
    peakMB: peak / 2 ** 20,
    ...(heap !== undefined ? { heapMB: heap / 2 ** 20 } : {}),
    ...(times.length === 1 ? { note: 'single run' } : {}),
  };
}

for (const runtime of values.runtimes.split(',') as RuntimeName[]) {
  const backend = await createBackend({ runtime, gradientCheckpointing: values.checkpointing });
  const config = AlbertConfig.fromPreset(values.preset, { num_labels: 2 });
  const rate = await calibrate();
  console.error(`# ${await backend.describe()}; matmul ${(rate / 1e6).toFixed(1)} GFLOP/s`);
  for (const attn of values.attn.split(',') as AttnImplementation[]) {
    for (const task of values['no-train'] ? (['inference'] as const) : (['inference', 'train step'] as const)) {
      const head: HeadName = task === 'inference' ? 'AlbertModel' : 'AlbertForSequenceClassification';
      const model = (await backend.loadModel(head, config, initWeights(head, config, 0), {
        attnImplementation: attn,
      })) as TfjsAlbertModel;
      const trainer = task === 'train step' ? new Trainer(model, { learningRate: 1e-5, totalSteps: 1000 }) : undefined;
      // Estimate of a cell: measured time per FLOP of the last cell, else the matmul rate (training ≈ 3 forwards).
      let msPerFlop = (task === 'inference' ? 1 : 3) / rate;
      for (const [B, S] of shapes) {
        const x = inputs(B, S, config.vocab_size, !!trainer);
        if (!trainer) await model.forward({ input_ids: [[2, 3]] });
        const run = trainer ? () => trainer.trainStep(x) : () => model.forward(x);
        const flops = flopsPerToken(config, S) * B * S;
        const r = await measure(backend, run, msPerFlop * flops);
        if (r.ms !== undefined) msPerFlop = r.ms / flops;
        const row: Row = { runtime: `tfjs-${runtime}`, attn, task, shape: `${B}×${S}`, ...r };
        rows.push(row);
        console.error(JSON.stringify(row));
      }
      trainer?.dispose();
      model.dispose();
    }
  }
}

console.log(
  `| runtime | attn | task | batch×seq | median ms | peak tensor MB | wasm heap MB | note |\n|---|---|---|---|---|---|---|---|`,
);
for (const r of rows)
  console.log(
    `| ${r.runtime} | ${r.attn} | ${r.task} | ${r.shape} | ${r.ms?.toFixed(0) ?? '–'} | ${r.peakMB?.toFixed(0) ?? '–'} | ${r.heapMB?.toFixed(0) ?? '–'} | ${r.note ?? ''} |`,
  );
