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

  it('writes the same draws into a given buffer of the mask size, and refuses another size', () => {
    const site = { name: 'dropout.test', rate: 0.5, shape: () => [] };
    const want = dropoutMask(site, [3, 5], new Mulberry32(9));
    const buf = new Float32Array(15).fill(7);
    expect(dropoutMask(site, [3, 5], new Mulberry32(9), buf)).toBe(buf);
    expect([...buf]).toEqual([...want]);
    expect(() => dropoutMask(site, [4], new Mulberry32(9), buf)).toThrow(/buffer of 15 for 4 values/);
  });
});
