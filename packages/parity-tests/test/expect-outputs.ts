// The assertions of a backend's outputs-only parity test (webgpu, onnx): one fixture case through the shared
// runner, every `out.*` within OUTPUT_TOLERANCE of transformers, and the worst difference kept for the summary.
import type { Backend } from '@albertjs/core';
import { expect } from 'vitest';
import { type FixtureCase, formatResult, OUTPUT_TOLERANCE, runCase } from '../src/index.js';

export interface WorstDiff {
  id: string;
  name: string;
  maxAbs: number;
}

export function noWorstDiff(): WorstDiff {
  return { id: '', name: '', maxAbs: 0 };
}

/** Runs `c` on `backend`, asserts that it compared outputs and passed; raises `worst` in place. */
export async function expectOutputsMatch(backend: Backend, c: FixtureCase, worst: WorstDiff): Promise<void> {
  const r = await runCase(backend, c);
  expect(r.error, formatResult(r)).toBeUndefined();
  expect(r.diffs.length).toBeGreaterThan(0);
  expect(r.diffs.filter((d) => d.error)).toEqual([]);
  if (r.worst && r.worst.maxAbs > worst.maxAbs)
    Object.assign(worst, { id: c.id, name: r.worst.name, maxAbs: r.worst.maxAbs });
  expect(r.worst!.maxAbs, formatResult(r)).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
  expect(r.pass).toBe(true);
}

/** `<label>: worst out.* max|Δ| = 1.23e-5 (<case> <tensor>)` */
export function worstLine(label: string, worst: WorstDiff): string {
  return `${label}: worst out.* max|Δ| = ${worst.maxAbs.toExponential(2)} (${worst.id} ${worst.name})`;
}
