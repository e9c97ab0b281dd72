// hidden_act → tfjs function, each written from its definition in transformers' activations.py:
// https://github.com/huggingface/transformers/blob/main/src/transformers/activations.py
import { ConfigError, type HiddenAct } from '@albertjs/core';
import { tf } from './tf.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * 0.5 x (1 + tanh(c (x + 0.044715 x³))): NewGELUActivation / PytorchGELUTanh, with x + 0.044715 x³
 * written x (1 + 0.044715 x²): tfjs' Pow (and its gradient) costs ~10 % of a small model's training step.
 */
function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(SQRT_2_OVER_PI, tf.mul(x, tf.add(1, tf.mul(0.044715, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
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
