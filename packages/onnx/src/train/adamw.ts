// AdamW on the host, in place on the Float32Arrays behind the onnxruntime parameter tensors (the
// training graph's inputs): torch.optim.AdamW's update with decoupled weight decay, biases and LayerNorm
// weights not decayed (core's `decays`), and clip_grad_norm_. Measured against a graph-side update in
// BENCHMARKS.md ("onnx training"): one pass over the parameters on the host is cheaper than feeding
// p, g, m, v to a session and copying its outputs back.
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
import { adamwHyper, decays } from '@albertjs/core';

export interface HostAdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export class HostAdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  step = 0;
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();

  constructor(o: HostAdamWOptions = {}) {
    ({ beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay } = adamwHyper(o));
  }

  /** One update of every parameter that has a gradient (parameters are written in place). */
  apply(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, lr: number): void {
    this.step++;
    const { beta1: b1, beta2: b2, eps } = this;
    const bc1 = 1 - b1 ** this.step;
    const sqrtBc2 = Math.sqrt(1 - b2 ** this.step);
    const stepSize = lr / bc1;
    for (const [name, p] of params) {
      const g = grads.get(name);
      if (!g) continue;
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        m = new Float32Array(p.length);
        v = new Float32Array(p.length);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const keep = decays(name) && this.weightDecay ? 1 - lr * this.weightDecay : 1;
      for (let k = 0; k < p.length; k++) {
        const gk = g[k]!;
        const mk = b1 * m[k]! + (1 - b1) * gk;
        const vk = b2 * v[k]! + (1 - b2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        p[k] = p[k]! * keep - (stepSize * mk) / (Math.sqrt(vk) / sqrtBc2 + eps);
      }
    }
  }
}

/** torch.nn.utils.clip_grad_norm_: scales every gradient in place by maxNorm / (‖g‖ + 1e-6) when ‖g‖ > maxNorm; returns ‖g‖. */
export function clipByGlobalNorm(grads: ReadonlyMap<string, Float32Array>, maxNorm: number): number {
  let sq = 0;
  for (const g of grads.values()) for (let k = 0; k < g.length; k++) sq += g[k]! * g[k]!;
  const total = Math.sqrt(sq);
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) for (const g of grads.values()) for (let k = 0; k < g.length; k++) g[k]! *= coef;
  return total;
}
