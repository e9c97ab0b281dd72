// Backends checked against each other on one seeded random model (no reference needed): every pair of
// backends must agree on every output within the tolerance (issue: albert-base-v2 shape, batch 2 × seq 128).
// The forward runs and the pairwise comparison are separate so that each backend may run in its own process.
import { type AlbertConfig, type Backend, flattenOutput, type HeadName, type Tensor } from '@albertjs/core';
import { compareAll } from './compare.js';
import { randomInputs, randomWeights } from './random-model.js';
import { OUTPUT_TOLERANCE } from './runner.js';

export interface PairResult {
  a: string;
  b: string;
  /** Output with the largest disagreement and its max |Δ| (Infinity when an output is missing or misshapen). */
  worst: string;
  maxAbs: number;
  pass: boolean;
}

export interface CrossRun {
  backend: string;
  ms: number;
  /** Flattened outputs (`last_hidden_state`, `pooler_output` …); absent when the forward pass failed. */
  outputs?: Map<string, Tensor>;
  error?: string;
}

export interface CrossCheckResult {
  head: HeadName;
  shape: { batch: number; seq: number; hidden: number; layers: number; vocab: number };
  /** Backends that ran, with their error when the forward pass failed. */
  runs: { backend: string; ms: number; error?: string }[];
  pairs: PairResult[];
  pass: boolean;
}

export interface CrossCheckOptions {
  head?: HeadName;
  batch?: number;
  seq?: number;
  seed?: number;
  tolerance?: number;
  onProgress?: (msg: string) => void;
}

/** One backend's forward pass on the seeded random model and inputs (same seed → same model on every backend). */
export async function runOnRandomModel(
  backend: Backend,
  config: AlbertConfig,
  opts: CrossCheckOptions = {},
): Promise<CrossRun> {
  const head = opts.head ?? 'AlbertModel';
  const batch = opts.batch ?? 2;
  const seq = opts.seq ?? 128;
  opts.onProgress?.(
    `${backend.name}: seeded ${head} (hidden ${config.hidden_size}, ${config.num_hidden_layers} layers), batch ${batch} × seq ${seq}`,
  );
  const { weights } = randomWeights(head, config, opts.seed ?? 0);
  const inputs = randomInputs(config, batch, seq, (opts.seed ?? 0) + 1);
  const t0 = performance.now();
  try {
    const model = await backend.loadModel(head, config, weights);
    try {
      const outputs = flattenOutput(await model.forward(inputs)) as Map<string, Tensor>;
      return { backend: backend.name, ms: performance.now() - t0, outputs };
    } finally {
      model.dispose();
    }
  } catch (e) {
    return { backend: backend.name, ms: performance.now() - t0, error: (e as Error).message };
  }
}

/** Compares every pair of successful runs; the check fails if any run failed or any pair differs beyond `tolerance`. */
export function compareRuns(
  runs: readonly CrossRun[],
  config: AlbertConfig,
  opts: Pick<CrossCheckOptions, 'head' | 'batch' | 'seq' | 'tolerance'> = {},
): CrossCheckResult {
  const tol = opts.tolerance ?? OUTPUT_TOLERANCE;
  const ok = runs.filter((r) => r.outputs);
  const pairs: PairResult[] = [];
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length; j++) {
      const a = ok[i]!;
      const b = ok[j]!;
      const w = compareAll(a.outputs!, b.outputs!)[0];
      const maxAbs = w ? w.maxAbs : Number.POSITIVE_INFINITY;
      pairs.push({ a: a.backend, b: b.backend, worst: w?.name ?? '(no outputs)', maxAbs, pass: maxAbs <= tol });
    }
  }
  return {
    head: opts.head ?? 'AlbertModel',
    shape: {
      batch: opts.batch ?? 2,
      seq: opts.seq ?? 128,
      hidden: config.hidden_size,
      layers: config.num_hidden_layers,
      vocab: config.vocab_size,
    },
    runs: runs.map((r) => ({ backend: r.backend, ms: r.ms, ...(r.error ? { error: r.error } : {}) })),
    pairs,
    pass: runs.length > 0 && runs.every((r) => !r.error) && pairs.every((p) => p.pass),
  };
}

/** Runs every backend in this process and compares them pairwise. */
export async function crossCheckBackends(
  backends: readonly Backend[],
  config: AlbertConfig,
  opts: CrossCheckOptions = {},
): Promise<CrossCheckResult> {
  const runs: CrossRun[] = [];
  for (const be of backends) runs.push(await runOnRandomModel(be, config, opts));
  return compareRuns(runs, config, opts);
}
