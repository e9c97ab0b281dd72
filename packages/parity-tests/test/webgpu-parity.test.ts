// Every fixture case through @albertjs/webgpu in Node (Dawn on whatever adapter exists: SwiftShader
// on CPU-only machines), every `out.*` within 1e-4 of transformers (PyTorch, f32).
import { createBackend, type WebGpuBackend } from '@albertjs/webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, listCases, OUTPUT_TOLERANCE, runCase } from '../src/index.js';

describe('webgpu (f32) matches transformers', () => {
  let backend: WebGpuBackend;
  let worst = { id: '', name: '', maxAbs: 0 };
  beforeAll(async () => {
    backend = await createBackend();
    expect(await backend.describe()).toMatch(/^WebGPU /);
  });
  afterAll(() => {
    console.log(`webgpu: worst out.* max|Δ| = ${worst.maxAbs.toExponential(2)} (${worst.id} ${worst.name})`);
    backend?.dispose();
  });

  it.each(listCases().map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCase(backend, c);
    expect(r.error, formatResult(r)).toBeUndefined();
    expect(r.diffs.length).toBeGreaterThan(0);
    expect(r.diffs.filter((d) => d.error)).toEqual([]);
    if (r.worst && r.worst.maxAbs > worst.maxAbs) worst = { id: c.id, name: r.worst.name, maxAbs: r.worst.maxAbs };
    expect(r.worst!.maxAbs, formatResult(r)).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    expect(r.pass).toBe(true);
  });
});
