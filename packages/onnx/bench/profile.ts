// Where the time goes: onnxruntime's own per-node profiler on our optimized AlbertModel graph and on a
// torch-style export (the transformers.js baseline), same shapes and threads. Prints, per graph,
// the op types onnxruntime runs after ITS optimizer (from the saved optimized model) and the kernel time per
// op type (median run, and the sum of per-node minimums, which survives a loaded machine), so kernel choices
// (MatMul / FusedMatMul / Gemm, attention kernels, Transposes …) can be compared side by side.
// Our graph runs with this package's session options (sessionOptions()), the export with onnxruntime's
// defaults (what transformers.js passes).
// Usage: npx tsx --conditions=@albertjs/source packages/onnx/bench/profile.ts --tjs-model <model.onnx> [--shapes 1x128] [--threads 1]
//   [--runs 5] [--dir out] [--dtype float32] [--attention-op MultiHeadAttention] [--packed-qkv] [--skip-layer-norm] [--disabled-optimizers A,B]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AlbertConfig } from '@albertjs/core';
import * as ort from 'onnxruntime-node';
import { decodeModel, serializeModel } from '../src/graph/serialize.js';
import { buildAlbertGraph } from '../src/model/build.js';
import { type AttentionOp, checkDType, DEFAULT_GRAPH_OPTIONS } from '../src/model/options.js';
import { sessionOptions } from '../src/runtime/ort.js';
import { randomIds, randomWeights } from './random-model.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    'tjs-model': { type: 'string' },
    shapes: { type: 'string', default: '1x128' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    dir: { type: 'string' },
    dtype: { type: 'string', default: 'float32' },
    'attention-op': { type: 'string' },
    'skip-layer-norm': { type: 'boolean', default: false },
    'packed-qkv': { type: 'boolean', default: false },
    'disabled-optimizers': { type: 'string' },
  },
});
const dir = resolve(values.dir ?? mkdtempSync(join(tmpdir(), 'albert-profile-')));
mkdirSync(dir, { recursive: true });
const runs = Number(values.runs);
const config = AlbertConfig.fromPreset('albert-base-v2');

interface Graph {
  name: string;
  model: Uint8Array | string;
  options: ort.InferenceSession.SessionOptions;
}

const graphs: Graph[] = [];
if (values['tjs-model']) graphs.push({ name: 'torch-export', model: resolve(values['tjs-model']), options: {} });
{
  const opts = {
    ...DEFAULT_GRAPH_OPTIONS,
    flavour: 'optimized' as const,
    dtype: checkDType(values.dtype!),
    ...(values['attention-op'] ? { attentionOp: values['attention-op'] as AttentionOp } : {}),
    skipLayerNorm: values['skip-layer-norm']!,
    packedQkv: values['packed-qkv']!,
  };
  const { builder } = buildAlbertGraph('AlbertModel', config, randomWeights('AlbertModel', config, 0), opts);
  const disabled = values['disabled-optimizers'];
  graphs.push({
    name: 'albertjs-optimized',
    model: serializeModel(builder).model,
    options: sessionOptions(disabled === undefined ? {} : { disabledOptimizers: disabled.split(',').filter(Boolean) }),
  });
}

/** Op type → count in onnxruntime's optimized model (what its optimizer left to run). */
function opCounts(path: string): Map<string, number> {
  const m = decodeModel(readFileSync(path));
  const counts = new Map<string, number>();
  for (const n of m.graph?.node ?? []) {
    const k = `${n.domain ? `${n.domain}.` : ''}${n.opType}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string; provider?: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

for (const shape of values.shapes!.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const ids = randomIds(config, B, S, 3);
  const feeds = {
    input_ids: new ort.Tensor('int64', ids.data, [B, S]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * S).fill(1n), [B, S]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(B * S), [B, S]),
  };
  for (const gr of graphs) {
    const prefix = join(dir, `${gr.name}-${shape}`);
    const optimized = `${prefix}.optimized.onnx`;
    const options: ort.InferenceSession.SessionOptions = {
      ...gr.options,
      graphOptimizationLevel: 'all',
      intraOpNumThreads: Number(values.threads),
      enableProfiling: true,
      profileFilePrefix: prefix,
      optimizedModelFilePath: optimized,
    };
    const session =
      typeof gr.model === 'string'
        ? await ort.InferenceSession.create(gr.model, options)
        : await ort.InferenceSession.create(gr.model, options);
    const feed = Object.fromEntries(session.inputNames.map((n) => [n, feeds[n as keyof typeof feeds]]));
    await session.run(feed); // warm-up
    const wall: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await session.run(feed);
      wall.push(performance.now() - t0);
    }
    session.endProfiling();
    await session.release();
    const file = readdirSync(dir)
      .filter((f) => f.startsWith(`${gr.name}-${shape}_`) && f.endsWith('.json'))
      .sort()
      .at(-1)!;
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
    // One kernel_time event per node per run, in run order: run 0 is the warm-up (dropped). Per op type:
    // the median over runs of its total, and the sum over its nodes of each node's fastest run (the
    // load-proof figure on a shared machine, where preemption adds ms-long spikes to single kernels).
    const all = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
    const perRunCount = all.length / (runs + 1);
    const byRun: Map<string, number>[] = Array.from({ length: runs }, () => new Map());
    const nodeMin = new Map<string, { op: string; us: number }>();
    for (const [k, e] of all.entries()) {
      const r = Math.floor(k / perRunCount) - 1;
      if (r < 0) continue;
      const op = e.args?.op_name ?? '?';
      byRun[r]!.set(op, (byRun[r]!.get(op) ?? 0) + e.dur);
      const m = nodeMin.get(e.name);
      if (!m || e.dur < m.us) nodeMin.set(e.name, { op, us: e.dur });
    }
    const ops = [...new Set([...nodeMin.values()].map((n) => n.op))];
    const rows = ops
      .map((op) => {
        const nodes = [...nodeMin.values()].filter((n) => n.op === op);
        return {
          op,
          nodes: nodes.length,
          us: median(byRun.map((m) => m.get(op) ?? 0)),
          minUs: nodes.reduce((t, n) => t + n.us, 0),
        };
      })
      .sort((a, b) => b.minUs - a.minUs);
    const total = rows.reduce((n, r) => n + r.us, 0);
    const totalMin = rows.reduce((n, r) => n + r.minUs, 0);
    console.log(
      `\n## ${gr.name} ${shape} (${values.threads} thread): wall median ${median(wall).toFixed(1)} ms, kernels ${(total / 1000).toFixed(1)} ms (median run), ${(totalMin / 1000).toFixed(1)} ms (sum of per-node minimums)`,
    );
    console.log(
      `optimized graph: ${[...opCounts(optimized).entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ')}`,
    );
    for (const r of rows)
      console.log(
        `  ${r.op.padEnd(26)} ${String(r.nodes).padStart(4)} nodes ${(r.us / 1000).toFixed(2).padStart(8)} ms median ${(r.minUs / 1000).toFixed(2).padStart(8)} ms min-sum ${((100 * r.minUs) / totalMin).toFixed(1).padStart(5)}%`,
      );
  }
}
console.log(`\nprofiles and optimized models in ${dir}`);
