// torch's `g /= n; clip_grad_norm_(max_norm); AdamW.step()` restated in float64 from torch's documentation,
// and the test data (sizes that are not multiples of the SIMD width or of the kernel's chunk), for the host
// optimizer's test (adamw.test.ts) and the optimizer graph's (device-adamw.test.ts).
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
import { mulberry32 } from '@albertjs/core';
import { CHUNK } from '../src/train/adamw-simd.js';

export const SIZES = { 'encoder.ffn.weight': CHUNK * 2 + 7, 'encoder.ffn.bias': 3, 'embeddings.LayerNorm.weight': 33 };

export function data(seed: number, scale: number): Map<string, Float32Array> {
  const r = mulberry32(seed);
  return new Map(
    Object.entries(SIZES).map(([k, n]) => [k, Float32Array.from({ length: n }, () => (r() - 0.5) * scale)]),
  );
}

/** torch, float64: g /= n; clip_grad_norm_(max_norm); AdamW (weight decay only on 'encoder.ffn.weight'). */
export function reference(steps: Map<string, Float32Array>[], lr: number, divideBy: number, maxNorm: number) {
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
