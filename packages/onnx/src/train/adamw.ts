// AdamW on the host, in place on the Float32Arrays behind the onnxruntime parameter tensors (the
// training graph's inputs): torch.optim.AdamW's update with decoupled weight decay, biases and LayerNorm
// weights not decayed (core's `decays`), and clip_grad_norm_. Measured against a graph-side update in
// BENCHMARKS.md ("onnx training"): one pass over the parameters on the host is cheaper than feeding
// p, g, m, v to a session and copying its outputs back; the pass runs four float32 lanes at a time in
// WebAssembly SIMD (adamw-simd.ts) where the engine has it. The gradient-accumulation mean and the
// clipping are folded into that pass (one read of the gradients for the norm, one for the update; the
// gradients are not written), with the values torch's separate in-place steps produce.
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
// https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html
import { adamwHyper, decays } from '@albertjs/core';
import { type AdamWScalars, type SimdUpdate, simdUpdate } from './adamw-simd.js';

export interface HostAdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** false: the JavaScript update even where WebAssembly SIMD is available (tests compare the two). */
  simd?: boolean;
}

/** How the gradients handed to HostAdamW.apply are turned into the ones the update uses. */
export interface GradientPrep {
  /** The gradients are sums over this many micro-batches: each is divided by it first (float32). Default 1. */
  divideBy?: number;
  /** clip_grad_norm_'s max_norm over the (divided) gradients; 0 or absent: no clipping. */
  maxNorm?: number;
}

export class HostAdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  step = 0;
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();
  /** The element update: WebAssembly SIMD where available (adamw-simd.ts), else JavaScript. */
  readonly update: SimdUpdate;

  constructor(o: HostAdamWOptions = {}) {
    ({ beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay } = adamwHyper(o));
    this.update = (o.simd !== false && simdUpdate()) || updateJs;
  }

  /**
   * One update of every parameter that has a gradient (parameters are written in place, `grads` are
   * only read). With `prep`, each gradient is first divided by `divideBy`, then all are clipped to a
   * global norm of `maxNorm`, as `g /= n; clip_grad_norm_(max_norm)` would; returns that norm (NaN
   * without `maxNorm`).
   */
  apply(
    params: ReadonlyMap<string, Float32Array>,
    grads: ReadonlyMap<string, Float32Array>,
    lr: number,
    prep: GradientPrep = {},
  ): number {
    const divideBy = prep.divideBy ?? 1;
    const maxNorm = prep.maxNorm ?? 0;
    let norm = Number.NaN;
    let scale = 1;
    if (maxNorm > 0) {
      norm = globalNorm(grads, divideBy);
      const coef = maxNorm / (norm + 1e-6);
      if (coef < 1) scale = coef;
    }
    this.step++;
    const { beta1: b1, beta2: b2, eps } = this;
    const stepSize = lr / (1 - b1 ** this.step);
    const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** this.step);
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
      this.update(p, g, m, v, { b1, b2, keep, stepSize, invSqrtBc2, eps, divideBy, scale });
    }
    return norm;
  }
}

/** The JavaScript update of one parameter (where WebAssembly SIMD is unavailable): float64 arithmetic, float32 storage. */
export function updateJs(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamWScalars): void {
  const { b1, b2, keep, stepSize, invSqrtBc2, eps, divideBy, scale } = s;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const f = Math.fround;
  for (let k = 0; k < p.length; k++) {
    const gk = f(f(g[k]! / divideBy) * scale); // torch's `g /= n` then clip's `g *= coef`, each stored as float32
    const mk = b1 * m[k]! + c1 * gk;
    const vk = b2 * v[k]! + c2 * gk * gk;
    m[k] = mk;
    v[k] = vk;
    p[k] = p[k]! * keep - (stepSize * mk) / (Math.sqrt(vk) * invSqrtBc2 + eps);
  }
}

/** ‖g‖₂ over every gradient, each element divided by `divideBy` (float32) first. */
export function globalNorm(grads: ReadonlyMap<string, Float32Array>, divideBy = 1): number {
  let sq = 0;
  for (const g of grads.values()) {
    let a = 0;
    let b = 0;
    const n = g.length - (g.length % 2);
    if (divideBy === 1)
      for (let k = 0; k < n; k += 2) {
        a += g[k]! * g[k]!;
        b += g[k + 1]! * g[k + 1]!;
      }
    else
      for (let k = 0; k < n; k += 2) {
        const x = Math.fround(g[k]! / divideBy);
        const y = Math.fround(g[k + 1]! / divideBy);
        a += x * x;
        b += y * y;
      }
    if (n < g.length) {
      const x = Math.fround(g[n]! / divideBy);
      a += x * x;
    }
    sq += a + b;
  }
  return Math.sqrt(sq);
}

/** torch.nn.utils.clip_grad_norm_: scales every gradient in place by maxNorm / (‖g‖ + 1e-6) when ‖g‖ > maxNorm; returns ‖g‖. */
export function clipByGlobalNorm(grads: ReadonlyMap<string, Float32Array>, maxNorm: number): number {
  const total = globalNorm(grads);
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) for (const g of grads.values()) for (let k = 0; k < g.length; k++) g[k]! *= coef;
  return total;
}
