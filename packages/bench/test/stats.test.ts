import { InputError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { median, percentGain, quantile, summarize } from '../src/index.js';

describe('quantile / median', () => {
  it('interpolates linearly between closest ranks (NumPy "linear")', () => {
    const xs = [10, 1, 4, 7]; // sorted 1 4 7 10
    expect(quantile(xs, 0)).toBe(1);
    expect(quantile(xs, 1)).toBe(10);
    expect(quantile(xs, 0.5)).toBe(5.5);
    // h = 3 × 0.9 = 2.7 → 7 + 0.7 × 3
    expect(quantile(xs, 0.9)).toBeCloseTo(9.1, 12);
    expect(median([3])).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('rejects empty lists, non-finite samples and q outside [0, 1], naming the value', () => {
    expect(() => median([])).toThrow(InputError);
    expect(() => median([1, Number.NaN])).toThrow(/sample 1 is NaN/);
    expect(() => quantile([1, 2], 1.5)).toThrow(/q = 1.5/);
    expect(() => summarize([Number.POSITIVE_INFINITY])).toThrow(/Infinity/);
  });
});

describe('summarize', () => {
  it('gives n, min, median, p90, max and mean', () => {
    const xs = Array.from({ length: 11 }, (_, i) => 10 - i); // 10 … 0
    expect(summarize(xs)).toEqual({ n: 11, min: 0, median: 5, p90: 9, max: 10, mean: 5 });
  });
});

describe("percentGain (the seed tables' Speedup / Mem saving)", () => {
  it("reproduces the seed document's rows: (eager / sdpa − 1) × 100", () => {
    // Training 2 × 256: 358.411 MB eager vs 321.088 MB sdpa → 11.624 %.
    expect(percentGain(358.411, 321.088)).toBeCloseTo(11.624, 3);
    // Training 8 × 512 memory: 2820.398 vs 2219.695 → 27.062 %.
    expect(percentGain(2820.398, 2219.695)).toBeCloseTo(27.062, 3);
    // Inference 4 × 512 memory: 110.092 vs 94.343 → 16.693 %.
    expect(percentGain(110.092, 94.343)).toBeCloseTo(16.693, 3);
    // A negative saving when sdpa uses more: 4 × 256 63.4 vs 63.922 → −0.817 %.
    expect(percentGain(63.4, 63.922)).toBeCloseTo(-0.817, 3);
  });

  it('is undefined when a side is missing or the candidate is 0', () => {
    expect(percentGain(undefined, 1)).toBeUndefined();
    expect(percentGain(1, undefined)).toBeUndefined();
    expect(percentGain(1, 0)).toBeUndefined();
  });
});
