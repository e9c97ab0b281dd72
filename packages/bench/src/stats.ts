// Summary statistics of repeated timings: median and spread (min, p90), as the bench tables quote them.
import { InputError } from '@albertjs/core';

export interface Summary {
  /** Number of samples. */
  n: number;
  min: number;
  median: number;
  /** 90th percentile (linear interpolation between closest ranks). */
  p90: number;
  max: number;
  mean: number;
}

function checkSamples(name: string, xs: readonly number[]): void {
  if (xs.length === 0) throw new InputError(`${name}: needs at least one sample, got an empty list`);
  const bad = xs.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new InputError(`${name}: sample ${bad} is ${xs[bad]}, not a finite number`);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) with linear interpolation between closest ranks
 * (NumPy's default `method="linear"`): rank h = (n − 1)·q.
 */
export function quantile(xs: readonly number[], q: number): number {
  checkSamples('quantile', xs);
  if (!(q >= 0 && q <= 1)) throw new InputError(`quantile: q = ${q} must lie in [0, 1]`);
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

export function summarize(xs: readonly number[]): Summary {
  checkSamples('summarize', xs);
  let sum = 0;
  for (const x of xs) sum += x;
  return {
    n: xs.length,
    min: Math.min(...xs),
    median: quantile(xs, 0.5),
    p90: quantile(xs, 0.9),
    max: Math.max(...xs),
    mean: sum / xs.length,
  };
}

/**
 * The seed document's "Speedup (%)" and "Mem saving (%)": how much larger the baseline (eager)
 * figure is than the candidate's (sdpa), in percent: (baseline / candidate − 1) · 100.
 * (Its first inference row: 0.083 ms vs 0.071 ms → 16.967 %.) Undefined when either is missing or the candidate is 0.
 */
export function percentGain(baseline: number | undefined, candidate: number | undefined): number | undefined {
  if (baseline === undefined || candidate === undefined) return undefined;
  if (!Number.isFinite(baseline) || !Number.isFinite(candidate) || candidate === 0) return undefined;
  return (baseline / candidate - 1) * 100;
}
