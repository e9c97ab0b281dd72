// Benchmark: @albertjs/onnx graphs (standard / optimized, fp32 / int8) against transformers.js 4.x
// running a torch-style export of the same architecture, in the SAME process.
// Usage: pnpm --filter @albertjs/onnx bench -- --tjs-model <path/to/model.onnx> [--runs 3] [--shapes 1x128,8x128,1x512,8x512] [--threads N] [--out result.json]
// The folder of --tjs-model (or $TJS_MODEL) must hold the export's config.json (transformers.js needs it).
// Without a model path only our graphs are timed (the transformers.js column is skipped, with a note).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AlbertConfig, type AlbertModelHandle, type Tensor } from '@albertjs/core';
import { createBackend, type Flavour, type WeightDType } from '../src/index.js';
import { randomIds, randomWeights } from './random-model.js';

const { values: args } = parseArgs({
  // `pnpm bench -- --flag` forwards the `--` separator itself: drop it
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    'tjs-model': { type: 'string' },
    runs: { type: 'string', default: '3' },
    shapes: { type: 'string', default: '1x128,8x128,1x512,8x512' },
    out: { type: 'string' },
    threads: { type: 'string' },
    only: { type: 'string' },
  },
});
const tjsModel = args['tjs-model'] ?? process.env.TJS_MODEL;
const runs = Number(args.runs);
const shapes = args.shapes!.split(',').map((s) => s.split('x').map(Number) as [number, number]);
const threads = args.threads ? Number(args.threads) : undefined;

type Runner = (ids: Tensor<BigInt64Array>) => Promise<Float32Array>;

async function transformersJs(modelPath: string): Promise<Runner> {
  const tjs = await import('@huggingface/transformers');
  // transformers.js resolves <localModelPath>/<id>/{config.json, onnx/model.onnx}: link the export there.
  const root = mkdtempSync(join(tmpdir(), 'albert-bench-'));
  const dir = join(root, 'model');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  symlinkSync(resolve(dirname(modelPath), 'config.json'), join(dir, 'config.json'));
  symlinkSync(resolve(modelPath), join(dir, 'onnx', 'model.onnx'));
  tjs.env.localModelPath = root;
  tjs.env.allowRemoteModels = false;
  const model = await tjs.AutoModel.from_pretrained('model', {
    dtype: 'fp32',
    device: 'cpu',
    ...(threads ? { session_options: { intraOpNumThreads: threads } } : {}),
  });
  return async (ids) => {
    const dims = [...ids.shape];
    const out = await model({
      input_ids: new tjs.Tensor('int64', ids.data, dims),
      attention_mask: new tjs.Tensor('int64', new BigInt64Array(ids.size).fill(1n), dims),
      token_type_ids: new tjs.Tensor('int64', new BigInt64Array(ids.size), dims),
    });
    return out.last_hidden_state.data as Float32Array;
  };
}

async function ours(flavour: Flavour, dtype: WeightDType): Promise<Runner> {
  const config = AlbertConfig.fromPreset('albert-base-v2');
  const backend = await createBackend({ flavour, ...(threads ? { intraOpNumThreads: threads } : {}) });
  const model: AlbertModelHandle<'AlbertModel'> = await backend.loadModel('AlbertModel', config, weightsOnce(config), {
    dtype,
    attnImplementation: 'sdpa',
  });
  return async (ids) => (await model.forward({ input_ids: ids })).last_hidden_state.data;
}

let cachedWeights: ReturnType<typeof randomWeights> | undefined;
function weightsOnce(config: AlbertConfig) {
  cachedWeights ??= randomWeights('AlbertModel', config, 0);
  return cachedWeights;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! * a[k]!;
    bb += b[k]! * b[k]!;
  }
  return ab / Math.sqrt(aa * bb);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main() {
  if (!tjsModel)
    console.error('no --tjs-model (or $TJS_MODEL): timing our graphs only, without the transformers.js baseline');
  const all: { key: string; name: string; make: () => Promise<Runner> }[] = [
    ...(tjsModel ? [{ key: 'tjs', name: 'transformers.js fp32', make: () => transformersJs(tjsModel) }] : []),
    { key: 'standard-fp32', name: 'standard fp32', make: () => ours('standard', 'float32') },
    { key: 'optimized-fp32', name: 'optimized fp32', make: () => ours('optimized', 'float32') },
    { key: 'standard-int8', name: 'standard int8', make: () => ours('standard', 'int8') },
    { key: 'optimized-int8', name: 'optimized int8', make: () => ours('optimized', 'int8') },
  ];
  // --only tjs,optimized-fp32 … times a subset.
  const only = args.only?.split(',');
  const variants = only ? all.filter((v) => only.includes(v.key)) : all;
  const hasBaseline = variants[0]?.key === 'tjs';
  const runners: Runner[] = [];
  const loadRss: number[] = [];
  for (const v of variants) {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    runners.push(await v.make());
    loadRss.push(process.memoryUsage().rss - before);
    console.error(`loaded ${v.name} in ${(performance.now() - t0).toFixed(0)} ms (+${mb(loadRss.at(-1)!)} RSS)`);
  }
  const config = AlbertConfig.fromPreset('albert-base-v2');
  const results: { shape: string; ms: number[]; minMs: number[]; cosInt8: number[] }[] = [];
  for (const [B, S] of shapes) {
    const ids = randomIds(config, B, S, 7);
    const times: number[][] = variants.map(() => []);
    const outs: Float32Array[] = [];
    // Warm-up, then interleaved timed runs (every variant once per round) to share the machine's noise.
    for (const [k, r] of runners.entries()) outs[k] = await r(ids);
    for (let round = 0; round < runs; round++) {
      for (const [k, r] of runners.entries()) {
        const t0 = performance.now();
        await r(ids);
        times[k]!.push(performance.now() - t0);
      }
    }
    const ms = times.map(median);
    const at = (name: string) => outs[variants.findIndex((v) => v.name === name)];
    results.push({
      shape: `${B}x${S}`,
      ms,
      cosInt8: [
        [at('standard int8'), at('standard fp32')],
        [at('optimized int8'), at('optimized fp32')],
      ].map(([q, f]) => (q && f ? cosine(q, f) : Number.NaN)),
      minMs: times.map((t) => Math.min(...t)),
    });
    console.error(`${B}x${S}: ${variants.map((v, k) => `${v.name} ${ms[k]!.toFixed(1)} ms`).join(', ')}`);
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  // median ms (median ratio; ratio of the fastest runs, which contention on a shared machine inflates least)
  const cell = (m: number, min: number, base: number, baseMin: number, k: number) =>
    k === 0 || !hasBaseline
      ? `${m.toFixed(1)} ms`
      : `${m.toFixed(1)} ms (${(m / base).toFixed(2)}×, min ${(min / baseMin).toFixed(2)}×)`;
  const lines = [
    `| batch × seq | ${variants.map((v) => v.name).join(' | ')} | int8 cosine (std / opt) |`,
    `|---|${variants.map(() => '---').join('|')}|---|`,
    ...results.map(
      (r) =>
        `| ${r.shape.replace('x', ' × ')} | ${r.ms.map((m, k) => cell(m, r.minMs[k]!, r.ms[0]!, r.minMs[0]!, k)).join(' | ')} | ${r.cosInt8.map((c) => c.toFixed(4)).join(' / ')} |`,
    ),
    '',
    `Ratios are time / transformers.js time (lower is faster): of the medians, and of the fastest runs. Peak RSS of the whole run: ${mb(peak)}; RSS added by loading each model: ${variants.map((v, k) => `${v.name} ${mb(loadRss[k]!)}`).join(', ')}.`,
    `transformers.js model: ${tjsModel ? `${basename(dirname(resolve(tjsModel)))}/${basename(tjsModel)}` : 'none given'}; ours: albert-base-v2 config, seeded random weights. ${runs} timed runs per cell (median) after one warm-up.`,
  ];
  console.log(lines.join('\n'));
  if (args.out)
    writeFileSync(
      args.out,
      JSON.stringify({ variants: variants.map((v) => v.name), results, peakRss: peak, loadRss }, null, 2),
    );
}

await main();
