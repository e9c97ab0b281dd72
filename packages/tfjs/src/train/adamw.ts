// AdamW (Loshchilov & Hutter) exactly as torch.optim.AdamW updates: decoupled weight decay
// p ← p − lr·wd·p, then the bias-corrected Adam step. Parameters named like biases or LayerNorm
// weights get no decay (the usual transformers Trainer grouping).
// https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
import { adamwHyper, decays, InputError } from '@albertjs/core';
import { tf } from '../tf.js';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export { decays };

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(options: AdamWOptions = {}) {
    ({ beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay } = adamwHyper(options));
  }

  /** One update of every parameter that has a gradient. */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    this.step++;
    const t = this.step;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = 1 - this.beta2 ** t;
    for (const [name, p] of params) {
      const g = grads.get(name);
      if (!g) continue;
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        m = tf.variable(tf.zerosLike(p), false);
        v = tf.variable(tf.zerosLike(p), false);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const mm = m;
      const vv = v;
      tf.tidy(() => {
        const decayed = decays(name) && this.weightDecay ? tf.mul(p, 1 - lr * this.weightDecay) : p;
        const m1 = tf.add(tf.mul(mm, this.beta1), tf.mul(g, 1 - this.beta1));
        const v1 = tf.add(tf.mul(vv, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(bc2)), this.eps);
        mm.assign(m1);
        vv.assign(v1);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), lr / bc1)));
      });
    }
  }

  /** The moment estimates by parameter name (`exp_avg.<name>`, `exp_avg_sq.<name>` as torch's state_dict) and the step. */
  stateTensors(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, m] of this.m) out.set(`exp_avg.${k}`, m);
    for (const [k, v] of this.v) out.set(`exp_avg_sq.${k}`, v);
    return out;
  }

  /** Restores what stateTensors() gave (a resumed run continues exactly). */
  loadState(step: number, tensors: ReadonlyMap<string, tf.Tensor>): void {
    this.dispose();
    this.step = step;
    for (const [key, t] of tensors) {
      const dot = key.indexOf('.');
      const kind = key.slice(0, dot);
      const name = key.slice(dot + 1);
      const target = kind === 'exp_avg' ? this.m : kind === 'exp_avg_sq' ? this.v : undefined;
      if (!target)
        throw new InputError(`optimizer state key ${JSON.stringify(key)} is neither exp_avg.* nor exp_avg_sq.*`);
      target.set(name, tf.variable(t, false));
    }
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** torch.nn.utils.clip_grad_norm_: scales every gradient by maxNorm / (‖g‖ + 1e-6) when ‖g‖ > maxNorm; returns ‖g‖. */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): number {
  const total = tf.tidy(() => Math.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))).dataSync()[0]!));
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const [k, g] of grads) {
      grads.set(k, tf.mul(g, coef));
      g.dispose();
    }
  }
  return total;
}
