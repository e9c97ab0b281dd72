// The host's dropout masks (model/dropout.ts): element k is 0 exactly where the k-th Mulberry32 draw is below
// the rate, else 1/(1-rate); the stream continues across masks as one sequence of draws.
import { Mulberry32 } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { dropoutMask } from '../src/model/dropout.js';

describe('dropoutMask', () => {
  it('follows Mulberry32.next draw by draw and keeps about 1 - rate of the elements', () => {
    const site = { name: 'dropout.test', rate: 0.25, shape: () => [] };
    const rng = new Mulberry32(123);
    const a = dropoutMask(site, [40, 50], rng);
    const b = dropoutMask(site, [7], rng);
    const ref = new Mulberry32(123);
    const want = Float32Array.from({ length: 2007 }, () => (ref.next() >= 0.25 ? Math.fround(1 / 0.75) : 0));
    expect([...a, ...b]).toEqual([...want]);
    expect(rng.state).toBe(ref.state);
    const kept = a.filter((x) => x !== 0).length / a.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.03);
  });
});
