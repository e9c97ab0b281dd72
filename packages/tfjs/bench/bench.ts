// Benchmark: albert-base-v2 shape (seeded random weights), batch × seq in {1, 8} × {128, 512}, inference
// (AlbertModel forward) and one fine-tuning step (AlbertForSequenceClassification, AdamW), per tfjs
// runtime and attention implementation: median wall time and tf.profile's peak tensor bytes.
// Usage: pnpm bench [-- --runtimes wasm,cpu --shapes 1x128,8x512 --attn eager,sdpa --repeat 3 --budget 120 --no-train]
import { parseArgs } from 'node:util';
import { AlbertConfig, type AttnImplementation, type HeadName } from '@albertjs/core';
import {
  createBackend,
  initWeights,
  mulberry32,
  type RuntimeName,
  type TfjsAlbertModel,
  Trainer,
  tf,
} from '../src/index.js';

const { values } = parseArgs({
  options: {
    runtimes: { type: 'string', default: 'wasm,cpu' },
    shapes: { type: 'string', default: '1x128,8x128,1x512,8x512' },
    attn: { type: 'string', default: 'eager,sdpa' },
    repeat: { type: 'string', default: '3' },
    /** Seconds a cell may take: cells whose estimate (from the last measured time per token) exceeds it are skipped. */
    budget: { type: 'string', default: '120' },
    'no-train': { type: 'boolean', default: false },
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(
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
  return { ms, peakMB: peak / 2 ** 20, ...(times.length === 1 ? { note: 'single run' } : {}) };
}

for (const runtime of values.runtimes.split(',') as RuntimeName[]) {
  const backend = await createBackend({ runtime });
  console.error(`# ${await backend.describe()}`);
  const config = AlbertConfig.fromPreset(values.preset, { num_labels: 2 });
  for (const attn of values.attn.split(',') as AttnImplementation[]) {
    for (const task of values['no-train'] ? (['inference'] as const) : (['inference', 'train step'] as const)) {
      const head: HeadName = task === 'inference' ? 'AlbertModel' : 'AlbertForSequenceClassification';
      const model = (await backend.loadModel(head, config, initWeights(head, config, 0), {
        attnImplementation: attn,
      })) as TfjsAlbertModel;
      const trainer = task === 'train step' ? new Trainer(model, { learningRate: 1e-5, totalSteps: 1000 }) : undefined;
      let msPerToken: number | undefined;
      for (const [B, S] of shapes) {
        const x = inputs(B, S, config.vocab_size, !!trainer);
        if (!trainer) await model.forward({ input_ids: [[2, 3]] });
        const run = trainer ? () => trainer.trainStep(x) : () => model.forward(x);
        const r = await measure(
          run,
          msPerToken !== undefined ? msPerToken * B * S * (S > 128 ? S / 128 : 1) : undefined,
        );
        if (r.ms !== undefined) msPerToken = r.ms / (B * S);
        const row: Row = { runtime: `tfjs-${runtime}`, attn, task, shape: `${B}×${S}`, ...r };
        rows.push(row);
        console.error(JSON.stringify(row));
      }
      trainer?.dispose();
      model.dispose();
    }
  }
}

console.log(`| runtime | attn | task | batch×seq | median ms | peak tensor MB | note |\n|---|---|---|---|---|---|---|`);
for (const r of rows)
  console.log(
    `| ${r.runtime} | ${r.attn} | ${r.task} | ${r.shape} | ${r.ms?.toFixed(0) ?? '–'} | ${r.peakMB?.toFixed(0) ?? '–'} | ${r.note ?? ''} |`,
  );
