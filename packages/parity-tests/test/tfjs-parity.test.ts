// Every fixture case (HF PyTorch outputs and gradients) through @albertjs/tfjs on the cpu and wasm runtimes.
import { type AlbertInputs, bindWeights, flattenOutput, readCheckpointDir, type Tensor } from '@albertjs/core';
import { createBackend, type TfjsBackend } from '@albertjs/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareAll, listCases, pick } from '../src/index.js';

const OUT_TOL = 1e-4;
const GRAD_TOL = 5e-4;
const cases = listCases();

function fmt(diffs: { name: string; maxAbs: number; error?: string }[]): string {
  return diffs
    .slice(0, 3)
    .map((d) => d.error ?? `${d.name} maxdiff=${d.maxAbs.toExponential(2)}`)
    .join(', ');
}

describe.each(['cpu', 'wasm'] as const)('tfjs parity with transformers (%s)', (runtime) => {
  let backend: TfjsBackend;
  const worst = { out: 0, grad: 0 };
  beforeAll(async () => {
    backend = await createBackend({ runtime });
    expect(await backend.describe()).toContain(`tfjs-${runtime}`);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, tensors } = await readCheckpointDir(c.modelPath);
    const { weights } = bindWeights(c.modelClass, config, tensors);
    const model = await backend.loadModel(c.modelClass, config, weights, { attnImplementation: c.attn_implementation });
    try {
      const data = c.load();
      const inputs = Object.fromEntries(
        [...pick(data, 'in.')].filter(([k]) => !k.startsWith('cotangent.')),
      ) as AlbertInputs;
      const out = await model.forward(inputs, {
        outputHiddenStates: c.kwargs.output_hidden_states === true,
        outputAttentions: c.kwargs.output_attentions === true,
      });
      const diffs = compareAll(flattenOutput(out), pick(data, 'out.'));
      expect(diffs.length).toBeGreaterThan(0);
      worst.out = Math.max(worst.out, diffs[0]!.maxAbs);
      expect(diffs[0]!.maxAbs, fmt(diffs)).toBeLessThanOrEqual(OUT_TOL);
      const expectedGrads = pick(data, 'grad.');
      if (c.grads) {
        expect(expectedGrads.size).toBeGreaterThan(0);
        const cot = pick(data, 'in.cotangent.') as Map<string, Tensor<Float32Array>>;
        const { grads, loss } = await model.gradients!(inputs, Object.fromEntries(cot));
        if (out.loss) expect(Math.abs(loss - out.loss.data[0]!)).toBeLessThanOrEqual(OUT_TOL);
        expect([...grads.keys()].sort()).toEqual([...expectedGrads.keys()].sort());
        const gd = compareAll(grads, expectedGrads);
        worst.grad = Math.max(worst.grad, gd[0]!.maxAbs);
        expect(gd[0]!.maxAbs, fmt(gd)).toBeLessThanOrEqual(GRAD_TOL);
      }
    } finally {
      model.dispose();
    }
  });

  it('reports the worst differences', () => {
    console.log(
      `tfjs-${runtime}: worst output maxdiff ${worst.out.toExponential(2)}, worst gradient maxdiff ${worst.grad.toExponential(2)} over ${cases.length} cases`,
    );
    expect(worst.out).toBeLessThanOrEqual(OUT_TOL);
  });
});
