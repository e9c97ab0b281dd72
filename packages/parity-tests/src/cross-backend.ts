// Backends checked against each other on one seeded random model (no reference needed): every pair of
// backends must agree on every output within the tolerance (issue: albert-base-v2 shape, batch 2 × seq 128).
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

export async function crossCheckBackends(
  backends: readonly Backend[],
  config: AlbertConfig,
  opts: CrossCheckOptions = {},
): Promise<CrossCheckResult> {
  const head = opts.head ?? 'AlbertModel';
  const batch = opts.batch ?? 2;
  const seq = opts.seq ?? 128;
  const tol = opts.tolerance ?? OUTPUT_TOLERANCE;
  opts.onProgress?.(
    `generating seeded ${head} weights (hidden ${config.hidden_size}, ${config.num_hidden_layers} layers)`,
  );
  const { weights } = randomWeights(head, config, opts.seed ?? 0);
  const inputs = randomInputs(config, batch, seq, (opts.seed ?? 0) + 1);
  const outputs: { backend: string; out: Map<string, Tensor> }[] = [];
  const runs: CrossCheckResult['runs'] = [];
  for (const be of backends) {
    opts.onProgress?.(`running ${be.name} on batch ${batch} × seq ${seq}`);
    const t0 = performance.now();
    try {
      const model = await be.loadModel(head, config, weights);
      try {
        const out = flattenOutput(await model.forward(inputs));
        outputs.push({ backend: be.name, out: out as Map<string, Tensor> });
        runs.push({ backend: be.name, ms: performance.now() - t0 });
      } finally {
        model.dispose();
      }
    } catch (e) {
      runs.push({ backend: be.name, ms: performance.now() - t0, error: (e as Error).message });
    }
  }
  const pairs: PairResult[] = [];
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const a = outputs[i]!;
      const b = outputs[j]!;
      const diffs = compareAll(a.out, b.out);
      const w = diffs[0];
      const maxAbs = w ? w.maxAbs : Number.POSITIVE_INFINITY;
      pairs.push({ a: a.backend, b: b.backend, worst: w?.name ?? '(no outputs)', maxAbs, pass: maxAbs <= tol });
    }
  }
  const pass = runs.every((r) => !r.error) && pairs.every((p) => p.pass);
  return {
    head,
    shape: { batch, seq, hidden: config.hidden_size, layers: config.num_hidden_layers, vocab: config.vocab_size },
    runs,
    pairs,
    pass,
  };
}
