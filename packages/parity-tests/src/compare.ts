// max |Δ| comparison of tensors, with the worst tensor named (as llm.c's test_gpt2.c prints).
import { shapeStr, type Tensor, toFloat32 } from '@albertjs/core';

export interface TensorDiff {
  name: string;
  maxAbs: number;
  /** Shape mismatch or missing tensor, when the comparison could not run. */
  error?: string;
}

export function maxAbsDiff(name: string, actual: Tensor | undefined, expected: Tensor): TensorDiff {
  if (!actual) return { name, maxAbs: Number.POSITIVE_INFINITY, error: `${name}: missing from the output` };
  const a = actual.shape.filter((d) => d !== 1);
  const e = expected.shape.filter((d) => d !== 1);
  if (a.length !== e.length || a.some((d, i) => d !== e[i])) {
    return {
      name,
      maxAbs: Number.POSITIVE_INFINITY,
      error: `${name}: shape ${shapeStr(actual.shape)} vs expected ${shapeStr(expected.shape)}`,
    };
  }
  const x = toFloat32(actual).data;
  const y = toFloat32(expected).data;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    if (Number.isNaN(yi) && Number.isNaN(xi)) continue;
    const d = Math.abs(xi - yi);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return { name, maxAbs: m };
}

/** Compares every expected tensor; returns all diffs, worst first. */
export function compareAll(actual: Map<string, Tensor>, expected: Map<string, Tensor>): TensorDiff[] {
  const diffs = [...expected].map(([k, v]) => maxAbsDiff(k, actual.get(k), v));
  return diffs.sort((a, b) => b.maxAbs - a.maxAbs);
}
