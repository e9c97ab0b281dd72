// Every fixture case through @albertjs/onnx, both graph flavours: every out.* within 1e-4 of PyTorch, and
// (standard flavour: the training graph is the same for both) every grad.* within 5e-4 of PyTorch's.
import type { Backend } from '@albertjs/core';
import { createBackend, FLAVOURS } from '@albertjs/onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, GRAD_TOLERANCE, listCases, OUTPUT_TOLERANCE, runCase } from '../src/index.js';

describe.each(FLAVOURS.map((f) => [f]))('onnx %s graphs match transformers', (flavour) => {
  let backend: Backend;
  let worst = { id: '', name: '', maxAbs: 0 };
  let worstGrad = { id: '', name: '', maxAbs: 0 };
  const grads = flavour === 'standard';
  beforeAll(async () => {
    backend = await createBackend({ flavour, intraOpNumThreads: 1, warn: () => undefined });
    expect(await backend.describe()).toContain(`${flavour} graphs`);
  });
  afterAll(() =>
    console.log(
      `onnx ${flavour}: worst out.* max|Δ| = ${worst.maxAbs.toExponential(2)} (${worst.id} ${worst.name})` +
        (grads
          ? `; worst grad.* max|Δ| = ${worstGrad.maxAbs.toExponential(2)} (${worstGrad.id} ${worstGrad.name})`
          : ''),
    ),
  );

  it.each(listCases().map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCase(backend, c, { grads });
    expect(r.error, formatResult(r)).toBeUndefined();
    expect(r.diffs.length).toBeGreaterThan(0);
    expect(r.diffs.filter((d) => d.error)).toEqual([]);
    const outs = r.diffs.filter((d) => d.name.startsWith('out.'));
    const gradDiffs = r.diffs.filter((d) => d.name.startsWith('grad.'));
    // Gradients (training graph, eager attention) on every case that has them: every parameter.
    expect(gradDiffs.length).toBe(grads ? c.keys.filter((k) => k.startsWith('grad.')).length : 0);
    if (grads && c.grads) expect(gradDiffs.length).toBeGreaterThan(0);
    const o = outs[0]!;
    if (o.maxAbs > worst.maxAbs) worst = { id: c.id, name: o.name, maxAbs: o.maxAbs };
    const gw = gradDiffs[0];
    if (gw && gw.maxAbs > worstGrad.maxAbs) worstGrad = { id: c.id, name: gw.name, maxAbs: gw.maxAbs };
    expect(o.maxAbs, formatResult(r)).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    if (gw) expect(gw.maxAbs, formatResult(r)).toBeLessThanOrEqual(GRAD_TOLERANCE);
    expect(r.pass).toBe(true);
  });
});

// The same training graphs on onnxruntime-web's wasm runtime (in Node): every grad.* within 5e-4 of PyTorch's,
// on the tiny config's cases of every objective kind: cotangents, two cross-entropies (MLM + SOP), MSE, BCE and
// the span loss (the rest run on onnxruntime-node above; the runtimes run the same graph).
const WEB_CASES = [
  'AlbertModel',
  'AlbertForPreTraining',
  'AlbertForSequenceClassification-regression',
  'AlbertForSequenceClassification-multilabel',
  'AlbertForQuestionAnswering',
];
describe('onnx training graphs on onnxruntime-web (wasm) match transformers', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await createBackend({ runtime: 'web', flavour: 'standard', warn: () => undefined });
    expect(await backend.describe()).toContain('onnxruntime-web wasm');
  });

  it.each(
    listCases()
      .filter((c) => c.grads && c.config === 'tiny' && WEB_CASES.includes(c.head))
      .map((c) => [c.id, c] as const),
  )('%s', async (_id, c) => {
    const r = await runCase(backend, c);
    const gradDiffs = r.diffs.filter((d) => d.name.startsWith('grad.'));
    expect(r.error, formatResult(r)).toBeUndefined();
    expect(gradDiffs.length).toBe(c.keys.filter((k) => k.startsWith('grad.')).length);
    expect(gradDiffs[0]!.maxAbs, formatResult(r)).toBeLessThanOrEqual(GRAD_TOLERANCE);
    expect(r.pass).toBe(true);
  });
});
