import { describe, expect, it } from 'vitest';
import { AdamW, clipByGlobalNorm, decays, linearWarmupDecay, tf } from '../src/index.js';
import { cpuBackend } from './helpers.js';

describe('AdamW, schedule, clipping', () => {
  it('AdamW matches torch.optim.AdamW step by step; no decay on bias / LayerNorm', async () => {
    await cpuBackend();
    const w0 = [0.5, -1.5];
    const g = [
      [0.1, -0.2],
      [0.3, 0.05],
    ];
    const params = new Map([
      ['encoder.ffn.weight', tf.variable(tf.tensor1d(w0))],
      ['encoder.ffn.bias', tf.variable(tf.tensor1d(w0))],
      ['embeddings.LayerNorm.weight', tf.variable(tf.tensor1d(w0))],
    ]);
    const opt = new AdamW({ weightDecay: 0.1 });
    const lr = 0.01;
    // Hand-computed torch AdamW (float64).
    const ref = (decay: boolean) => {
      const p = [...w0];
      const m = [0, 0];
      const v = [0, 0];
      g.forEach((gs, t) => {
        for (let i = 0; i < 2; i++) {
          if (decay) p[i] = p[i]! * (1 - lr * 0.1);
          m[i] = 0.9 * m[i]! + 0.1 * gs[i]!;
          v[i] = 0.999 * v[i]! + 0.001 * gs[i]! ** 2;
          const mh = m[i]! / (1 - 0.9 ** (t + 1));
          const vh = v[i]! / (1 - 0.999 ** (t + 1));
          p[i] = p[i]! - (lr * mh) / (Math.sqrt(vh) + 1e-8);
        }
      });
      return p;
    };
    for (const gs of g) {
      const grads = new Map([...params.keys()].map((k) => [k, tf.tensor1d(gs)]));
      opt.apply(params, grads, lr);
      tf.dispose([...grads.values()]);
    }
    const close = (a: ArrayLike<number>, b: number[]) => {
      for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 6);
    };
    close(params.get('encoder.ffn.weight')!.dataSync(), ref(true));
    close(params.get('encoder.ffn.bias')!.dataSync(), ref(false));
    close(params.get('embeddings.LayerNorm.weight')!.dataSync(), ref(false));
    expect(ref(true)[0]).not.toBeCloseTo(ref(false)[0]!, 6);
    expect(decays('albert.encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.weight')).toBe(false);
    expect(decays('albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight')).toBe(true);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('linear warmup then linear decay to zero (get_linear_schedule_with_warmup)', () => {
    const s = linearWarmupDecay({ peakLr: 1e-3, warmupSteps: 10, totalSteps: 110 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(5e-4, 12);
    expect(s(10)).toBeCloseTo(1e-3, 12);
    expect(s(60)).toBeCloseTo(5e-4, 12);
    expect(s(110)).toBe(0);
    expect(s(200)).toBe(0);
    expect(() => linearWarmupDecay({ peakLr: 1e-3, warmupSteps: 20, totalSteps: 10 })).toThrow(/warmupSteps/);
  });

  it('clips by global norm as clip_grad_norm_', async () => {
    await cpuBackend();
    const grads = new Map([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor1d([0, 4])],
    ]);
    expect(clipByGlobalNorm(grads, 1)).toBeCloseTo(5, 5);
    expect(grads.get('a')!.dataSync()[0]).toBeCloseTo(3 / (5 + 1e-6), 6);
    expect(grads.get('b')!.dataSync()[1]).toBeCloseTo(4 / (5 + 1e-6), 6);
    expect(clipByGlobalNorm(grads, 10)).toBeCloseTo(1, 5);
    expect(grads.get('b')!.dataSync()[1]).toBeCloseTo(4 / (5 + 1e-6), 6);
    tf.dispose([...grads.values()]);
  });
});
