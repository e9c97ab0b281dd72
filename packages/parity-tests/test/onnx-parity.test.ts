// Every fixture case through @albertjs/onnx, both graph flavours: every out.* within 1e-4 of PyTorch.
import type { Backend } from '@albertjs/core';
import { createBackend, FLAVOURS } from '@albertjs/onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, listCases, OUTPUT_TOLERANCE, runCase } from '../src/index.js';

describe.each(FLAVOURS.map((f) => [f]))('onnx %s graphs match transformers', (flavour) => {
  let backend: Backend;
  let worst = { id: '', name: '', maxAbs: 0 };
  beforeAll(async () => {
    backend = await createBackend({ flavour, intraOpNumThreads: 1, warn: () => undefined });
    expect(await backend.describe()).toContain(`${flavour} graphs`);
  });
  afterAll(() =>
    console.log(`onnx ${flavour}: worst out.* max|Δ| = ${worst.maxAbs.toExponential(2)} (${worst.id} ${worst.name})`),
  );

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
