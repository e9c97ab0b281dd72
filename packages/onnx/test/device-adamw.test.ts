// The optimizer graph (train/device-adamw.ts, AdamW as an onnxruntime session, the webgpu trainer's
// device path) run here on onnxruntime-node's CPU EP, its outputs fed back as the next step's inputs as on
// the GPU: against torch's `g /= n; clip_grad_norm_(max_norm); AdamW.step()` restated in float64
// (adamw.test.ts' reference), with the micro-batch gradients summed by the graph. Chromium runs the same
// graph on webgpu (browser.test.ts: OnnxTrainer's losses and parameters equal the wasm trainer's).
import { describe, expect, it } from 'vitest';
import { loadOrt, type OrtTensor } from '../src/runtime/ort.js';
import { HostAdamW } from '../src/train/adamw.js';
import { DeviceAdamW } from '../src/train/device-adamw.js';
import { data, reference, SIZES } from './adamw-reference.js';

describe('DeviceAdamW (the optimizer graph)', () => {
  for (const [micro, maxNorm] of [
    [1, 0.5], // clips every step (the gradients' norm is ≈ 40)
    [3, 1000], // the mean of 3 micro-batches summed in the graph, not clipped
    [2, 0], // no clipping: no norm
  ] as const)
    it(`equals torch's clip_grad_norm_ + AdamW (${micro} micro-batches, maxNorm ${maxNorm})`, async () => {
      const ort = await loadOrt('node');
      const lr = 1e-2;
      // each step's micro-batch gradients, and their float32 sum in order (what the reference divides)
      const sets = [2, 3, 4, 5].map((s) => Array.from({ length: micro }, (_, j) => data(s * 10 + j, 1)));
      const sums = sets.map(
        (g) =>
          new Map(
            Object.keys(SIZES).map((k) => {
              const out = new Float32Array(g[0]!.get(k)!);
              for (const x of g.slice(1)) for (let i = 0; i < out.length; i++) out[i]! += x.get(k)![i]!;
              return [k, out];
            }),
          ),
      );
      const want = reference(sums, lr, micro, maxNorm);
      const host = new HostAdamW();
      const opt = new DeviceAdamW(ort, { runtime: 'node' }, host, maxNorm, 'cpu');
      const tensor = (x: Float32Array) => new ort.Tensor('float32', x, [x.length]);
      const params = new Map<string, OrtTensor>([...data(1, 2)].map(([k, x]) => [k, tensor(x)]));
      const norms: number[] = [];
      for (const g of sets) {
        const feeds = g.map((set) => new Map([...set].map(([k, x]) => [k, tensor(x)])));
        norms.push(await opt.apply(params, feeds, lr));
      }
      expect(host.step).toBe(4);
      if (maxNorm) for (const [t, n] of norms.entries()) expect(n).toBeCloseTo(want.norms[t]!, 3);
      else expect(norms.every(Number.isNaN)).toBe(true);
      for (const [k, t] of params) {
        const p = t.data as Float32Array;
        const ref = want.p.get(k)!;
        let worst = 0;
        for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - ref[i]!));
        expect(worst, k).toBeLessThan(2e-6); // float32 arithmetic vs float64, params of magnitude ≤ 1
        expect(Math.abs(p[0]! - data(1, 2).get(k)![0]!)).toBeGreaterThan(1e-3); // the parameters moved
      }
      // download(): the moments into the host optimizer (what save and resumable checkpoints read)
      await opt.download(params);
      expect([...host.m.keys()].sort()).toEqual(Object.keys(SIZES).sort());
      expect(host.v.get('encoder.ffn.bias')!.every((x) => x > 0)).toBe(true);
      opt.release();
    });
});
