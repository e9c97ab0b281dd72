// Every fixture case through @albertjs/webgpu in Node (Dawn on whatever adapter exists: SwiftShader
// on CPU-only machines), every `out.*` within 1e-4 of transformers (PyTorch, f32).
import { createBackend, type WebGpuBackend } from '@albertjs/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../src/index.js';
import { expectOutputsMatch, noWorstDiff, worstLine } from './expect-outputs.js';

describe('webgpu (f32) matches transformers', () => {
  let backend: WebGpuBackend;
  const worst = noWorstDiff();
  beforeAll(async () => {
    backend = await createBackend();
    expect(await backend.describe()).toMatch(/^WebGPU /);
  });
  afterAll(() => {
    console.log(worstLine('webgpu', worst));
    backend?.dispose();
  });

  it.each(listCases().map((c) => [c.id, c] as const))('%s', (_id, c) => expectOutputsMatch(backend, c, worst));
});
