// The host optimizer (train/adamw.ts): torch's `g /= n; clip_grad_norm_(max_norm); AdamW.step()` restated
// here in float64 from torch's documentation, against HostAdamW's fused pass — the WebAssembly SIMD kernel
// (train/adamw-simd.ts, float32 lanes) and the JavaScript fallback — over several steps and tensor sizes
// that are not multiples of the SIMD width or of the kernel's chunk.
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
import { mulberry32 } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { HostAdamW } from '../src/train/adamw.js';
import { CHUNK, simdUpdate } from '../src/train/adamw-simd.js';

const SIZES = { 'encoder.ffn.weight': CHUNK * 2 + 7, 'encoder.ffn.bias': 3, 'embeddings.LayerNorm.weight': 33 };

function data(seed: number, scale: number): Map<string, Float32Array> {
  const r = mulberry32(seed);
  return new Map(
    Object.entries(SIZES).map(([k, n]) => [k, Float32Array.from({ length: n }, () => (r() - 0.5) * scale)]),
  );
}

/** torch, float64: g /= n; clip_grad_norm_(max_norm); AdamW (weight decay only on 'encoder.ffn.weight'). */
function reference(steps: Map<string, Float32Array>[], lr: number, divideBy: number, maxNorm: number) {
  const p = new Map([...data(1, 2)].map(([k, x]) => [k, Float64Array.from(x)]));
  const m = new Map([...p].map(([k, x]) => [k, new Float64Array(x.length)]));
  const v = new Map([...p].map(([k, x]) => [k, new Float64Array(x.length)]));
  const norms: number[] = [];
  steps.forEach((grads, t) => {
    const g = new Map([...grads].map(([k, x]) => [k, Float64Array.from(x, (y) => y / divideBy)]));
    const norm = Math.sqrt([...g.values()].reduce((a, x) => a + x.reduce((s, y) => s + y * y, 0), 0));
    norms.push(norm);
    const coef = maxNorm > 0 ? Math.min(1, maxNorm / (norm + 1e-6)) : 1; // max_norm 0: no clipping
    for (const [k, pk] of p) {
      const [gk, mk, vk] = [g.get(k)!, m.get(k)!, v.get(k)!];
      for (let i = 0; i < pk.length; i++) {
        const gi = gk[i]! * coef;
        if (k === 'encoder.ffn.weight') pk[i] = pk[i]! * (1 - lr * 0.01);
        mk[i] = 0.9 * mk[i]! + 0.1 * gi;
        vk[i] = 0.999 * vk[i]! + 0.001 * gi * gi;
        const mh = mk[i]! / (1 - 0.9 ** (t + 1));
        const vh = vk[i]! / (1 - 0.999 ** (t + 1));
        pk[i] = pk[i]! - (lr * mh) / (Math.sqrt(vh) + 1e-8);
      }
    }
  });
  return { p, norms };
}

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
