// The host optimizer (train/adamw.ts): torch's `g /= n; clip_grad_norm_(max_norm); AdamW.step()` restated
// in float64 (adamw-reference.ts), against HostAdamW's fused pass — the WebAssembly SIMD kernel
// (train/adamw-simd.ts, float32 lanes) and the JavaScript fallback — over several steps and tensor sizes
// that are not multiples of the SIMD width or of the kernel's chunk.
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
import { describe, expect, it } from 'vitest';
import { HostAdamW } from '../src/train/adamw.js';
import { simdUpdate } from '../src/train/adamw-simd.js';
import { data, reference } from './adamw-reference.js';

describe('HostAdamW', () => {
  it('has the SIMD kernel in Node', () => {
    expect(simdUpdate()).not.toBeNull();
  });

  for (const simd of [true, false])
    for (const [divideBy, maxNorm] of [
      [1, 0],
      [1, 0.5], // clips every step (the gradients' norm is ≈ 40)
      [3, 1000], // a mean over 3 micro-batches, not clipped
    ] as const)
      it(`equals torch's clip_grad_norm_ + AdamW (${simd ? 'SIMD' : 'JavaScript'}, divideBy ${divideBy}, maxNorm ${maxNorm})`, () => {
        const lr = 1e-2;
        const steps = [2, 3, 4, 5].map((s) => data(s, 1));
        const want = reference(steps, lr, divideBy, maxNorm);
        const params = data(1, 2);
        const opt = new HostAdamW({ simd });
        const before = steps.map((g) => new Map([...g].map(([k, x]) => [k, new Float32Array(x)])));
        const norms = steps.map((g) => opt.apply(params, g, lr, { divideBy, maxNorm }));
        expect(opt.step).toBe(4);
        for (const [t, g] of steps.entries())
          for (const [k, x] of g) expect(x.every((y, i) => y === before[t]!.get(k)![i])).toBe(true); // not written
        if (maxNorm) for (const [t, n] of norms.entries()) expect(n).toBeCloseTo(want.norms[t]!, 3);
        else expect(norms.every(Number.isNaN)).toBe(true);
        for (const [k, p] of params) {
          const ref = want.p.get(k)!;
          let worst = 0;
          for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - ref[i]!));
          expect(worst, k).toBeLessThan(2e-6); // float32 arithmetic vs float64, params of magnitude ≤ 1
          expect(Math.abs(p[0]! - data(1, 2).get(k)![0]!)).toBeGreaterThan(1e-3); // the parameters moved
        }
      });
});
