// hidden_act → tfjs function, each written from its definition in transformers' activations.py:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/activations.py#L324 (ACT2CLS)
import { ConfigError, type HiddenAct } from '@albertjs/core';
import { customGrad } from './custom-grad.js';
import { tf } from './tf.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * 0.5 x (1 + tanh(u)), u = c (x + 0.044715 x³): NewGELUActivation / PytorchGELUTanh, with the inner
 * polynomial written x (1 + 0.044715 x²) (tfjs' Pow and its gradient are slow) and a hand-written
 * gradient, 0.5 (1 + t) + 0.5 x (1 − t²) c (1 + 3 · 0.044715 x²) with t = tanh(u) recomputed from x:
 * the tape keeps x alone instead of every piece of the formula ([B, S, intermediate_size] each).
 */
function geluTanh(x: tf.Tensor): tf.Tensor {
  const tanhOf = (v: tf.Tensor) =>
    tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.mul(v, tf.add(1, tf.mul(0.044715, tf.square(v))))));
  const f = (v: tf.Tensor, save: tf.GradSaveFunc) => {
    save([v]);
    return {
      value: tf.mul(tf.mul(0.5, v), tf.add(1, tanhOf(v))),
      gradFunc: (g: tf.Tensor, [saved]: tf.Tensor[]) =>
        tf.tidy(() => {
          const v0 = saved!;
          const t = tanhOf(v0);
          const du = tf.mul(SQRT_2_OVER_PI, tf.add(1, tf.mul(3 * 0.044715, tf.square(v0)))); // du/dx
          const dgelu = tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(0.5, v0), tf.mul(tf.sub(1, tf.square(t)), du)));
          return [tf.mul(g, dgelu)];
        }),
    };
  };
  return customGrad(f)(x);
}

export const ACTIVATIONS: Record<HiddenAct, (x: tf.Tensor) => tf.Tensor> = {
  // GELUActivation: x · ½ (1 + erf(x / √2))
  gelu: (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  gelu_new: geluTanh,
  gelu_pytorch_tanh: geluTanh,
  // FastGELUActivation: ½ x (1 + tanh(x · 0.7978845608 (1 + 0.044715 x²)))
  gelu_fast: (x) =>
    tf.mul(
      tf.mul(0.5, x),
      tf.add(1, tf.tanh(tf.mul(tf.mul(x, 0.7978845608), tf.add(1, tf.mul(0.044715, tf.square(x)))))),
    ),
  // QuickGELUActivation: x σ(1.702 x)
  quick_gelu: (x) => tf.mul(x, tf.sigmoid(tf.mul(1.702, x))),
  relu: (x) => tf.relu(x),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  linear: (x) => x,
};

export function activation(name: HiddenAct): (x: tf.Tensor) => tf.Tensor {
  const f = ACTIVATIONS[name];
  if (!f) throw new ConfigError(`config.hidden_act = ${JSON.stringify(name)} has no tfjs implementation`);
  return f;
}
