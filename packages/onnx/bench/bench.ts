// Benchmark: @albertjs/onnx graphs (standard / optimized, fp32 / int8) against transformers.js 4.x
// running a torch-style export of the same architecture, in the SAME process.
// Usage: pnpm --filter @albertjs/onnx bench -- --tjs-model <path/to/model.onnx> [--runs 3] [--shapes 1x128,8x128,1x512,8x512]
//   [--threads N] [--only tjs,optimized-fp32] [--memory] [--out result.json]
// The folder of --tjs-model (or $TJS_MODEL) must hold the export's config.json (transformers.js needs it).
// Without a model path only our graphs are timed (the transformers.js column is skipped, with a note).
// --memory adds a per-shape memory table, each cell measured in a fresh process (bench/memory.ts).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AlbertConfig } from '@albertjs/core';
import { measureShapeMemory, type ShapeMemory } from './memory.js';
import { randomIds } from './random-model.js';
import { makeRunner, type Runner, VARIANTS, type VariantOptions } from './variants.js';

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
    memory: { type: 'boolean', default: false },
  },
});
const tjsModel = args['tjs-model'] ?? process.env.TJS_MODEL;
const runs = Number(args.runs);
const shapes = args.shapes!.split(',').map((s) => s.split('x').map(Number) as [number, number]);
const threads = args.threads ? Number(args.threads) : undefined;
const variantOptions: VariantOptions = { ...(tjsModel ? { tjsModel } : {}), ...(threads ? { threads } : {}) };

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
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

async function main() {
  if (!tjsModel)
    console.error('no --tjs-model (or $TJS_MODEL): timing our graphs only, without the transformers.js baseline');
  // --only tjs,optimized-fp32 … times a subset.
  const only = args.only?.split(',');
  const variants = VARIANTS.filter((v) => (v.key !== 'tjs' || tjsModel) && (!only || only.includes(v.key)));
  const hasBaseline = variants[0]?.key === 'tjs';
  const started = new Date();
  const loadBefore = load();
  const runners: Runner[] = [];
  const loadRss: number[] = [];
  for (const v of variants) {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    runners.push(await makeRunner(v.key, variantOptions));
    loadRss.push(process.memoryUsage().rss - before);
    console.error(`loaded ${v.name} in ${(performance.now() - t0).toFixed(0)} ms (+${mb(loadRss.at(-1)!)} RSS)`);
  }
  const config = AlbertConfig.fromPreset('albert-base-v2');
  const results: { shape: string; ms: number[]; minMs: number[]; cpuMs: number[]; cosInt8: number[] }[] = [];
  for (const [B, S] of shapes) {
    const ids = randomIds(config, B, S, 7);
    const times: number[][] = variants.map(() => []);
    const cpu: number[][] = variants.map(() => []);
    const outs: Float32Array[] = [];
    // Warm-up, then interleaved timed runs (every variant once per round) to share the machine's noise.
    for (const [k, r] of runners.entries()) outs[k] = await r(ids);
    for (let round = 0; round < runs; round++) {
      for (const [k, r] of runners.entries()) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await r(ids);
        times[k]!.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[k]!.push((c.user + c.system) / 1000);
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
      cpuMs: cpu.map(median),
    });
    console.error(
      `${B}x${S}: ${variants.map((v, k) => `${v.name} ${ms[k]!.toFixed(1)} ms`).join(', ')} (load ${load()})`,
    );
  }
  const loadAfter = load();
  const peak = process.resourceUsage().maxRSS * 1024;
  // median ms (median ratio; ratio of the fastest runs; ratio of the median process CPU times)
  const cell = (r: (typeof results)[number], k: number) =>
    k === 0 || !hasBaseline
      ? `${r.ms[k]!.toFixed(1)} ms`
      : `${r.ms[k]!.toFixed(1)} ms (${(r.ms[k]! / r.ms[0]!).toFixed(2)}×, min ${(r.minMs[k]! / r.minMs[0]!).toFixed(2)}×, cpu ${(r.cpuMs[k]! / r.cpuMs[0]!).toFixed(2)}×)`;
  const lines = [
    `| batch × seq | ${variants.map((v) => v.name).join(' | ')} | int8 cosine (std / opt) |`,
    `|---|${variants.map(() => '---').join('|')}|---|`,
    ...results.map(
      (r) =>
        `| ${r.shape.replace('x', ' × ')} | ${r.ms.map((_, k) => cell(r, k)).join(' | ')} | ${r.cosInt8.map((c) => (Number.isNaN(c) ? '—' : c.toFixed(4))).join(' / ')} |`,
    ),
    '',
    'Ratios are time / transformers.js time (lower is faster): of the medians, of the fastest runs (which contention on a shared machine inflates least), and of the median process CPU times (user + system; with one intra-op thread, time not spent waiting for a core).',
    `Peak RSS of the whole run: ${mb(peak)}; RSS added by loading each model: ${variants.map((v, k) => `${v.name} ${mb(loadRss[k]!)}`).join(', ')}.`,
    `transformers.js model: ${tjsModel ? `${basename(dirname(resolve(tjsModel)))}/${basename(tjsModel)}` : 'none given'}; ours: albert-base-v2 config, seeded random weights. ${runs} timed runs per cell (median) after one warm-up; ${threads ?? "onnxruntime's default"} intra-op thread(s).`,
    `${started.toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average (1 / 5 / 15 min) ${loadBefore} at the start, ${loadAfter} at the end.`,
  ];
  const memory: { shape: string; cells: ShapeMemory[] }[] = [];
  if (args.memory) {
    for (const [B, S] of shapes)
      memory.push({ shape: `${B}x${S}`, cells: variants.map((v) => measureShapeMemory(v.key, B, S, variantOptions)) });
    lines.push(
      '',
      `| batch × seq | ${variants.map((v) => `${v.name} model / peak`).join(' | ')} |`,
      `|---|${variants.map(() => '---').join('|')}|`,
      ...memory.map(
        (m) =>
          `| ${m.shape.replace('x', ' × ')} | ${m.cells.map((c) => `${mb(c.modelBytes)} / ${mb(c.peakBytes)}`).join(' | ')} |`,
      ),
      '',
      `Memory, one fresh process per cell (${memory[0]?.cells[0]?.method ?? 'VmHWM'}): "model" = RSS added by loading, "peak" = peak RSS of the first forward at that shape above the RSS before loading (model + that shape's activations; onnxruntime's arena starts empty in each process).`,
    );
  }
  console.log(lines.join('\n'));
  if (args.out)
    writeFileSync(
      args.out,
      JSON.stringify(
        {
          variants: variants.map((v) => v.name),
          results,
          peakRss: peak,
          loadRss,
          memory,
          started: started.toISOString(),
          loadAverage: { start: loadBefore, end: loadAfter },
          threads: threads ?? null,
        },
        null,
        2,
      ),
    );
}

await main();
