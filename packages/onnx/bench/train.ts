// One training step of albert-base (seeded random weights, AlbertForSequenceClassification, dropout --dropout p) on
// onnxruntime: OnnxTrainer.trainStep (the training graph's forward + loss + backward, then clipping and AdamW
// on the host), the AdamW update alone on the host vs as an onnxruntime graph (which is faster), the share of
// the step's kernel time spent in GEMMs (onnxruntime's profiler) against a plain MatMul's GFLOP/s (the MLAS
// peak on this machine), and the process's peak RSS (VmHWM: run one shape per process for per-shape peaks).
// --recompute: per-layer recompute (createBackend({ gradientCheckpointing: true }), train/recompute.ts).
// Usage: npx tsx --conditions=@albertjs/source packages/onnx/bench/train.ts [--shapes 1x128] [--threads 1] [--runs 3] [--warmup 0] [--profile] [--no-arena] [--dropout 0.1] [--recompute]
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlbertConfig, Mulberry32, mulberry32, Tensor } from '@albertjs/core';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../src/graph/builder.js';
import { serializeModel } from '../src/graph/serialize.js';
import { createBackend, HostAdamW, OnnxTrainer } from '../src/index.js';
import { dropoutMask } from '../src/model/dropout.js';
import type { OnnxModelHandle } from '../src/runtime/handle.js';
import type { OrtModule } from '../src/runtime/ort.js';
import { randomWeights } from './random-model.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, k) => !(k === 0 && a === '--')),
  options: {
    shapes: { type: 'string', default: '1x128' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    /** untimed steps after the first (a fresh session's second and third steps first-touch its memory). */
    warmup: { type: 'string', default: '0' },
    profile: { type: 'boolean', default: false },
    'no-arena': { type: 'boolean', default: false },
    /** hidden, attention and classifier dropout probability (0: none, albert-base-v2's own). */
    dropout: { type: 'string', default: '0' },
    /** per-layer recompute (gradient checkpointing) */
    recompute: { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const runs = Number(values.runs);
const head = 'AlbertForSequenceClassification';
const p = Number(values.dropout);
if (!(p >= 0 && p < 1)) throw new Error(`--dropout must be in [0, 1), got ${values.dropout}`);
const config = AlbertConfig.fromPreset('albert-base-v2', {
  hidden_dropout_prob: p,
  attention_probs_dropout_prob: p,
  classifier_dropout_prob: p,
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mb = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round((Number(m[1]) * 1024) / 1e6) : Number.NaN;
};
const dir = mkdtempSync(join(tmpdir(), 'albert-train-profile-'));
const profiled: ort.InferenceSession[] = [];
// onnxruntime with the profiler on for the training session (the trainer creates it through this module)
const runtime: OrtModule = values.profile
  ? ({
      ...ort,
      InferenceSession: {
        create: async (model: Uint8Array, o: ort.InferenceSession.SessionOptions) => {
          const s = await ort.InferenceSession.create(model, {
            ...o,
            enableProfiling: true,
            profileFilePrefix: join(dir, 'train'),
          });
          profiled.push(s);
          return s;
        },
      },
    } as unknown as OrtModule)
  : (ort as unknown as OrtModule);

function batch(B: number, S: number, seed: number) {
  const r = mulberry32(seed);
  const ids = BigInt64Array.from({ length: B * S }, (_, k) => BigInt(k % S === 0 ? 2 : 5 + Math.floor(r() * 29000)));
  return {
    input_ids: new Tensor('int64', ids, [B, S]),
    labels: new Tensor(
      'int64',
      BigInt64Array.from({ length: B }, () => BigInt(Math.floor(r() * 2))),
      [B],
    ),
  };
}

/** AdamW as one onnxruntime graph over every parameter: inputs p, g, m, v (+ lr scalars), outputs p', m', v'. */
async function graphAdamW(shapes: Map<string, readonly number[]>) {
  const g = new GraphBuilder('adamw');
  const scal = (n: string) => g.input(n, 'float32', []);
  const [keep, step, b1, b2, c1, c2, sbc2, eps] = ['keep', 'step', 'b1', 'b2', 'c1', 'c2', 'sbc2', 'eps'].map(
    scal,
  ) as string[];
  let k = 0;
  for (const [, dims] of shapes) {
    const [p, gr, m, v] = ['p', 'g', 'm', 'v'].map((x) => g.input(`${x}${k}`, 'float32', [...dims])) as [
      string,
      string,
      string,
      string,
    ];
    const m1 = g.op('Add', [g.op('Mul', [m, b1!]), g.op('Mul', [gr, c1!])]);
    const v1 = g.op('Add', [g.op('Mul', [v, b2!]), g.op('Mul', [g.op('Mul', [gr, gr]), c2!])]);
    const denom = g.op('Add', [g.op('Div', [g.op('Sqrt', [v1]), sbc2!]), eps!]);
    const p1 = g.op('Sub', [g.op('Mul', [p, keep!]), g.op('Mul', [g.op('Div', [m1, denom]), step!])]);
    g.output(`p${k}'`, p1, 'float32', [...dims]);
    g.output(`m${k}'`, m1, 'float32', [...dims]);
    g.output(`v${k}'`, v1, 'float32', [...dims]);
    k++;
  }
  const session = await ort.InferenceSession.create(serializeModel(g).model, { intraOpNumThreads: threads });
  return async (
    params: Map<string, Float32Array>,
    grads: Map<string, Float32Array>,
    m: Float32Array[],
    v: Float32Array[],
  ) => {
    const feeds: Record<string, ort.Tensor> = {};
    const s = (x: number) => new ort.Tensor('float32', Float32Array.of(x), []);
    Object.assign(feeds, {
      keep: s(1),
      step: s(1e-5),
      b1: s(0.9),
      b2: s(0.999),
      c1: s(0.1),
      c2: s(0.001),
      sbc2: s(0.03),
      eps: s(1e-8),
    });
    let j = 0;
    for (const [name, dims] of shapes) {
      feeds[`p${j}`] = new ort.Tensor('float32', params.get(name)!, [...dims]);
      feeds[`g${j}`] = new ort.Tensor('float32', grads.get(name)!, [...dims]);
      feeds[`m${j}`] = new ort.Tensor('float32', m[j]!, [...dims]);
      feeds[`v${j}`] = new ort.Tensor('float32', v[j]!, [...dims]);
      j++;
    }
    const r = await session.run(feeds);
    // the outputs become the next step's state: copy back into the parameter tensors the trainer feeds
    j = 0;
    for (const [name] of shapes) params.get(name)!.set(r[`p${j++}'`]!.data as Float32Array);
  };
}

/** A [M, K] × [K, N] MatMul's GFLOP/s on onnxruntime (the MLAS peak reference). */
async function gemmPeak(M: number, K: number, N: number): Promise<number> {
  const g = new GraphBuilder('gemm');
  g.output('y', g.op('MatMul', [g.input('a', 'float32', [M, K]), g.input('b', 'float32', [K, N])]), 'float32', [M, N]);
  const s = await ort.InferenceSession.create(serializeModel(g).model, { intraOpNumThreads: threads });
  const feeds = {
    a: new ort.Tensor('float32', new Float32Array(M * K).fill(0.5), [M, K]),
    b: new ort.Tensor('float32', new Float32Array(K * N).fill(0.25), [K, N]),
  };
  await s.run(feeds);
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    await s.run(feeds);
    ts.push(performance.now() - t0);
  }
  await s.release();
  return (2 * M * K * N) / (median(ts) / 1000) / 1e9;
}

interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: {
    op_name?: string;
    input_type_shape?: Record<string, number[]>[];
    output_type_shape?: Record<string, number[]>[];
  };
}
const GEMM_OPS = ['MatMul', 'Gemm', 'FusedMatMul', 'FusedGemm'];

/** 2·M·N·K of a GEMM node from its profiled shapes: the output's elements times the contracted length. */
function gemmFlop(e: ProfileEvent): number {
  const dims = (x: Record<string, number[]> | undefined) => Object.values(x ?? {})[0] ?? [];
  const a = dims(e.args?.input_type_shape?.[0]);
  const out = dims(e.args?.output_type_shape?.[0]);
  const size = (d: number[]) => d.reduce((p, q) => p * q, 1);
  const rows = size(out) / (out.at(-1) ?? 1); // M (times the batch dims)
  return 2 * size(out) * (size(a) / rows); // A holds rows × K elements (either layout)
}

const backend = await createBackend({
  ort: runtime,
  flavour: 'standard',
  intraOpNumThreads: threads,
  ...(values['no-arena'] ? { enableCpuMemArena: false } : {}),
  gradientCheckpointing: values.recompute,
});
const model = (await backend.loadModel(head, config, randomWeights(head, config, 0))) as unknown as OnnxModelHandle<
  typeof head
>;
console.log(
  `albert-base-v2 ${head}, dropout ${p}${values.recompute ? ', per-layer recompute' : ''}, onnxruntime-node ${threads} thread(s), ${new Date().toISOString()}, load ${(
    await import('node:os')
  )
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(`MLAS reference: MatMul 1024×768×3072 ${(await gemmPeak(1024, 768, 3072)).toFixed(1)} GFLOP/s`);
for (const shape of values.shapes!.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const trainer = new OnnxTrainer(model, { learningRate: 1e-5, totalSteps: 1000 });
  const t0 = performance.now();
  await trainer.trainStep(batch(B, S, 1)); // builds the training graph and its session
  const first = performance.now() - t0;
  for (let r = 0; r < Number(values.warmup); r++) await trainer.trainStep(batch(B, S, 100 + r));
  const steps: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await trainer.trainStep(batch(B, S, 2 + r));
    steps.push(performance.now() - t);
  }
  const rss = mb(); // the training steps' peak, before the AdamW comparison below allocates its copies
  // AdamW alone: host vs graph, on the real parameter set
  const params = new Map<string, Float32Array>();
  const shapes = new Map<string, readonly number[]>();
  for (const [name, t] of model.training.params) {
    params.set(name, t.data as Float32Array);
    shapes.set(name, t.dims);
  }
  const grads = new Map([...params].map(([k, p]) => [k, Float32Array.from(p, (x) => x * 1e-3)]));
  const host = new HostAdamW();
  const hostTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    host.apply(params, grads, 1e-9);
    hostTimes.push(performance.now() - t);
  }
  const graph = await graphAdamW(shapes);
  const m = [...params.values()].map((p) => new Float32Array(p.length));
  const v = [...params.values()].map((p) => new Float32Array(p.length));
  await graph(params, grads, m, v);
  const graphTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await graph(params, grads, m, v);
    graphTimes.push(performance.now() - t);
  }
  const n = [...params.values()].reduce((a, p) => a + p.length, 0);
  if (p > 0) {
    // the host's share of dropout: drawing one step's masks (embeddings, per layer probabilities and output, classifier)
    const c = config;
    const sizes = [
      B * S * c.embedding_size,
      ...Array.from({ length: c.num_hidden_layers }, () => [
        B * c.num_attention_heads * S * S,
        B * S * c.hidden_size,
      ]).flat(),
      B * c.hidden_size,
    ];
    const rand = new Mulberry32(1);
    const t = performance.now();
    for (const size of sizes) dropoutMask({ name: 'bench', rate: p, shape: () => [size] }, [size], rand);
    console.log(
      `${shape}: drawing one step's dropout masks (${(sizes.reduce((a, b) => a + b, 0) / 1e6).toFixed(2)} M values) ${(performance.now() - t).toFixed(0)} ms`,
    );
  }
  console.log(
    `${shape}: train step ${(median(steps) / 1000).toFixed(3)} s (median of ${runs}, min ${(Math.min(...steps) / 1000).toFixed(3)} s, after ${values.warmup} untimed; first step with graph build ${(first / 1000).toFixed(1)} s) · AdamW over ${(n / 1e6).toFixed(1)} M parameters: host ${median(hostTimes).toFixed(0)} ms, onnxruntime graph ${median(graphTimes).toFixed(0)} ms · peak RSS of the steps ${rss} MB`,
  );
}
if (values.profile) {
  for (const s of profiled) s.endProfiling();
  const file = readdirSync(dir)
    .filter((f) => f.startsWith('train') && f.endsWith('.json'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0]!; // the training session's
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
  const byOp = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
    total += e.dur;
  }
  const gemm = GEMM_OPS.reduce((a, k) => a + (byOp.get(k) ?? 0), 0);
  const top = [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 10);
  console.log(
    `kernel time over every profiled run: GEMMs ${((100 * gemm) / total).toFixed(1)}% of ${(total / 1e6).toFixed(2)} s`,
  );
  console.log(`top ops: ${top.map(([k, us]) => `${k} ${((100 * us) / total).toFixed(1)}%`).join(', ')}`);
  // The fastest step after the first (a fresh session's first steps first-touch their memory): its GEMM share and rate.
  const steps = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').slice(1);
  const fastest = steps.sort((a, b) => a.dur - b.dur)[0];
  if (fastest) {
    let kernel = 0;
    let gemmUs = 0;
    let flop = 0;
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < fastest.ts || e.ts > fastest.ts + fastest.dur)
        continue;
      kernel += e.dur;
      if (!GEMM_OPS.includes(e.args?.op_name ?? '')) continue;
      gemmUs += e.dur;
      flop += gemmFlop(e);
    }
    console.log(
      `fastest profiled step: ${(fastest.dur / 1e6).toFixed(3)} s, kernels ${(kernel / 1e6).toFixed(3)} s, GEMMs ${((100 * gemmUs) / kernel).toFixed(1)}%: ${(flop / 1e9).toFixed(1)} GFLOP in ${(gemmUs / 1e6).toFixed(3)} s = ${(flop / gemmUs / 1e3).toFixed(0)} GFLOP/s`,
    );
  }
}
model.dispose();
