// Every fixture case through @albertjs/webgpu's public API (Node, Dawn on whatever adapter exists:
// SwiftShader on CPU-only machines), every `out.*` within 1e-4 of transformers (PyTorch, f32).
import {
  type AlbertInputs,
  bindWeights,
  type ForwardOptions,
  flattenOutput,
  readCheckpointDir,
  type Tensor,
} from '@albertjs/core';
import { createBackend, type WebGpuBackend } from '@albertjs/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAll, listCases, pick } from '../src/index.js';

const TOL = 1e-4;

describe('webgpu parity with transformers (f32)', () => {
  let backend: WebGpuBackend;
  beforeAll(async () => {
    backend = await createBackend();
  });
  afterAll(() => backend?.dispose());

  it.each(listCases().map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, tensors } = await readCheckpointDir(c.modelPath);
    const { weights } = bindWeights(c.modelClass, config, tensors);
    const model = await backend.loadModel(c.modelClass, config, weights, { attnImplementation: c.attn_implementation });
    const all = c.load();
    const inputs = Object.fromEntries(pick(all, 'in.')) as AlbertInputs & Record<string, Tensor>;
    delete (inputs as Record<string, unknown>).cotangent;
    for (const k of Object.keys(inputs)) if (k.startsWith('cotangent.')) delete (inputs as Record<string, unknown>)[k];
    const options: ForwardOptions = {
      outputHiddenStates: c.kwargs.output_hidden_states === true,
      outputAttentions: c.kwargs.output_attentions === true,
      attnImplementation: c.attn_implementation,
    };
    const out = flattenOutput(await model.forward(inputs, options));
    model.dispose();
    const expected = pick(all, 'out.');
    const diffs = compareAll(out as Map<string, Tensor>, expected);
    const worst = diffs[0]!;
    expect(diffs.filter((d) => d.error).map((d) => d.error)).toEqual([]);
    expect(worst.maxAbs, `${c.id}: worst ${worst.name} maxdiff = ${worst.maxAbs}`).toBeLessThanOrEqual(TOL);
    // Nothing extra: the output has exactly the fields transformers returned.
    expect([...out.keys()].sort()).toEqual([...expected.keys()].sort());
  });
});
