// Forward-pass timing of an albert-base-v2-shaped AlbertModel (random weights) on whatever WebGPU
// adapter this machine offers: a real GPU, or SwiftShader on the CPU (a smoke result only).
//
//   pnpm --filter @albertjs/webgpu bench                       # batch 1,8,64 × seq 128,512, f32 + f16
//   pnpm --filter @albertjs/webgpu bench --smoke            # batch 1 × seq 128, one timed run
//   pnpm --filter @albertjs/webgpu bench --batch 1,8 --seq 128 --dtype float32 --impl sdpa,eager --iters 20 --json out.json
//   ALBERT_DAWN="enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia" pnpm … bench   # Dawn toggles (NVIDIA f16)
//
// Each timed run is one forward() through the public API: upload of the ids, the whole encoder in one
// command buffer, readback of last_hidden_state and pooler_output. Median of --iters runs after --warmup.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AlbertConfig, type AlbertModelHandle, randomWeightMap, Tensor } from '@albertjs/core';
import { createBackend } from '../src/index.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'), // pnpm passes a literal '--' through
  options: {
    preset: { type: 'string', default: 'albert-base-v2' },
    batch: { type: 'string', default: '1,8,64' },
    seq: { type: 'string', default: '128,512' },
    dtype: { type: 'string', default: 'float32,float16' },
    impl: { type: 'string', default: 'sdpa' },
    iters: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    smoke: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const nums = (s: string) => list(s).map(Number);
const smoke = args.smoke;
const batches = smoke ? [1] : nums(args.batch!);
const seqs = smoke ? [128] : nums(args.seq!);
const iters = smoke ? 1 : Number(args.iters);
const warmup = smoke ? 1 : Number(args.warmup);

const config = AlbertConfig.fromPreset(args.preset!);
const { weights } = randomWeightMap('AlbertModel', config, { seed: 1 }); // transformers' _init_weights, seeded
const backend = await createBackend(process.env.ALBERT_DAWN ? { dawnOptions: process.env.ALBERT_DAWN.split(' ') } : {});
const adapter = await backend.describe();
console.log(`adapter: ${adapter}`);
console.log(
  `model: ${args.preset} shape (H ${config.hidden_size}, layers ${config.num_hidden_layers}, heads ${config.num_attention_heads}), random weights`,
);

interface Row {
  dtype: string;
  impl: string;
  batch: number;
  seq: number;
  ms?: number;
  tokensPerSecond?: number;
  note?: string;
}
const rows: Row[] = [];
const idsFor = (B: number, S: number) =>
  Tensor.i64(
    Array.from({ length: B * S }, (_, i) => (i * 7919) % config.vocab_size),
    [B, S],
  );
let reference: Float32Array | undefined; // f32 last_hidden_state of the first shape, to check f16 against

for (const dtype of list(args.dtype!)) {
  const model = (await backend.loadModel('AlbertModel', config, weights, {
    dtype,
  })) as AlbertModelHandle<'AlbertModel'> & { dtype?: string };
  if (model.dtype !== dtype) {
    console.log(`${dtype}: not offered by this adapter (ran as ${model.dtype}); skipped`);
    model.dispose();
    continue;
  }
  for (const impl of list(args.impl!) as ('sdpa' | 'eager')[]) {
    for (const B of batches) {
      for (const S of seqs) {
        const input_ids = idsFor(B, S);
        const row: Row = { dtype, impl, batch: B, seq: S };
        try {
          let out = await model.forward({ input_ids }, { attnImplementation: impl });
          for (let i = 1; i < warmup; i++) out = await model.forward({ input_ids }, { attnImplementation: impl });
          if (B === batches[0] && S === seqs[0] && impl === 'sdpa') {
            if (dtype === 'float32') reference = out.last_hidden_state.data;
            else if (reference) {
              let d = 0;
              for (let i = 0; i < reference.length; i++)
                d = Math.max(d, Math.abs(reference[i]! - out.last_hidden_state.data[i]!));
              row.note = `max|Δ| vs f32 = ${d.toExponential(2)}`;
            }
          }
          const times: number[] = [];
          for (let i = 0; i < iters; i++) {
            const t0 = performance.now();
            await model.forward({ input_ids }, { attnImplementation: impl });
            times.push(performance.now() - t0);
          }
          times.sort((a, b) => a - b);
          row.ms = times[Math.floor(times.length / 2)]!;
          row.tokensPerSecond = (B * S * 1000) / row.ms;
        } catch (e) {
          row.note = `refused: ${(e as Error).message}`;
        }
        rows.push(row);
        console.log(
          `${dtype.padEnd(8)} ${impl.padEnd(5)} ${`${B} × ${S}`.padStart(9)}  ${row.ms === undefined ? '—'.padStart(10) : `${row.ms.toFixed(2)} ms`.padStart(10)}  ${row.tokensPerSecond === undefined ? '' : `${Math.round(row.tokensPerSecond)} tokens/s`}${row.note ? `  ${row.note}` : ''}`,
        );
      }
    }
  }
  model.dispose();
}
if (args.json)
  writeFileSync(args.json, `${JSON.stringify({ adapter, preset: args.preset, iters, warmup, rows }, null, 2)}\n`);
backend.dispose();
process.exit(0);
