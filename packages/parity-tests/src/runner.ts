// Runs fixture cases on any Backend and compares every `out.*` and `grad.*` tensor.
// Used by every backend's parity test and by `albert parity`.
import {
  type AlbertInputs,
  type Backend,
  bindWeights,
  type ForwardOptions,
  flattenOutput,
  readCheckpointDir,
  type Tensor,
} from '@albertjs/core';
import { compareAll, type TensorDiff } from './compare.js';
import { type FixtureCase, pick } from './fixtures.js';

export const OUTPUT_TOLERANCE = 1e-4;
export const GRAD_TOLERANCE = 5e-4;

export interface CaseResult {
  id: string;
  backend: string;
  /** Worst first. */
  diffs: TensorDiff[];
  worst: TensorDiff | undefined;
  pass: boolean;
  error?: string;
}

/** The forward() inputs and options a case asks for. */
export function caseCall(
  c: FixtureCase,
  tensors: Map<string, Tensor>,
): { inputs: AlbertInputs; options: ForwardOptions; cotangents: Record<string, Tensor<Float32Array>> } {
  const inputs: Record<string, unknown> = {};
  const cotangents: Record<string, Tensor<Float32Array>> = {};
  for (const [k, v] of pick(tensors, 'in.')) {
    if (k.startsWith('cotangent.')) cotangents[k.slice('cotangent.'.length)] = v as Tensor<Float32Array>;
    else inputs[k] = v;
  }
  const options: ForwardOptions = {
    attnImplementation: c.attn_implementation,
    outputHiddenStates: c.kwargs.output_hidden_states === true,
    outputAttentions: c.kwargs.output_attentions === true,
  };
  return { inputs: inputs as AlbertInputs, options, cotangents };
}

export interface RunCaseOptions {
  /** Compare gradients when the case has them and the backend implements `gradients` (default true). */
  grads?: boolean;
  outputTolerance?: number;
  gradTolerance?: number;
  /** Give up on a case after this many milliseconds (a stalled device); the result is a failure naming the timeout. */
  timeoutMs?: number;
}

export async function runCase(backend: Backend, c: FixtureCase, opts: RunCaseOptions = {}): Promise<CaseResult> {
  if (opts.timeoutMs === undefined) return runCaseUntimed(backend, c, opts);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CaseResult>((res) => {
    timer = setTimeout(
      () =>
        res({
          id: c.id,
          backend: backend.name,
          diffs: [],
          worst: undefined,
          pass: false,
          error: `timed out after ${(opts.timeoutMs! / 1000).toFixed(0)} s`,
        }),
      opts.timeoutMs,
    );
  });
  try {
    return await Promise.race([runCaseUntimed(backend, c, opts), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runCaseUntimed(backend: Backend, c: FixtureCase, opts: RunCaseOptions): Promise<CaseResult> {
  const outTol = opts.outputTolerance ?? OUTPUT_TOLERANCE;
  const gradTol = opts.gradTolerance ?? GRAD_TOLERANCE;
  try {
    const { config, tensors: raw } = await readCheckpointDir(c.modelPath);
    const { weights } = bindWeights(c.modelClass, config, raw);
    const model = await backend.loadModel(c.modelClass, config, weights, { attnImplementation: c.attn_implementation });
    try {
      const tensors = c.load();
      const { inputs, options, cotangents } = caseCall(c, tensors);
      const out = flattenOutput(await model.forward(inputs, options));
      const diffs = compareAll(out as Map<string, Tensor>, pick(tensors, 'out.')).map((d) => ({
        ...d,
        name: `out.${d.name}`,
      }));
      let pass = diffs.every((d) => !d.error && d.maxAbs <= outTol);
      const expectedGrads = pick(tensors, 'grad.');
      if (opts.grads !== false && expectedGrads.size > 0 && model.gradients) {
        const { grads } = await model.gradients(inputs, cotangents);
        const gd = compareAll(grads as Map<string, Tensor>, expectedGrads).map((d) => ({
          ...d,
          name: `grad.${d.name}`,
        }));
        pass &&= gd.every((d) => !d.error && d.maxAbs <= gradTol);
        diffs.push(...gd);
      }
      diffs.sort((a, b) => b.maxAbs - a.maxAbs);
      return { id: c.id, backend: backend.name, diffs, worst: diffs[0], pass };
    } finally {
      model.dispose();
    }
  } catch (e) {
    return { id: c.id, backend: backend.name, diffs: [], worst: undefined, pass: false, error: (e as Error).message };
  }
}

/** Runs `cases` one after another on `backend`, reporting each result as it lands. */
export async function runCases(
  backend: Backend,
  cases: readonly FixtureCase[],
  opts: RunCaseOptions & { onResult?: (r: CaseResult, index: number) => void } = {},
): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  let stalled: string | undefined;
  for (const [i, c] of cases.entries()) {
    // After a timeout the device may still be busy with the stalled work: do not queue more behind it.
    const r: CaseResult = stalled
      ? {
          id: c.id,
          backend: backend.name,
          diffs: [],
          worst: undefined,
          pass: false,
          error: `not run: ${backend.name} stalled on ${stalled}`,
        }
      : await runCase(backend, c, opts);
    if (!stalled && r.error?.startsWith('timed out after')) stalled = c.id;
    out.push(r);
    opts.onResult?.(r, i);
  }
  return out;
}

/** One line per case: `case  backend  worst tensor  max|Δ|  pass`. */
export function formatResult(r: CaseResult): string {
  const worst = r.error
    ? `ERROR ${r.error}`
    : r.worst
      ? `${r.worst.name} ${r.worst.error ?? r.worst.maxAbs.toExponential(2)}`
      : 'no tensors';
  return `${r.pass ? 'PASS' : 'FAIL'}  ${r.id.padEnd(60)} ${r.backend.padEnd(8)} ${worst}`;
}
