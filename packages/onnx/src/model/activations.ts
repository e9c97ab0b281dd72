// ACT2FN of transformers' activations.py as ONNX subgraphs.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/activations.py#L324 (ACT2CLS)
import type { HiddenAct } from '@albertjs/core';
import { MS_DOMAIN } from '../graph/proto.js';
import type { Emit } from './emit.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** act(x) in plain ops. */
export function activation(e: Emit, act: HiddenAct, x: string): string {
  const { g } = e;
  const half = () => g.f32(0.5);
  const one = () => g.f32(1);
  switch (act) {
    case 'gelu': // GELUActivation: 0.5 x (1 + erf(x / sqrt 2))
      return g.op('Mul', [
        g.op('Mul', [x, half()]),
        g.op('Add', [one(), g.op('Erf', [g.op('Mul', [x, g.f32(Math.SQRT1_2)])])]),
      ]);
    case 'gelu_new': // NewGELUActivation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    case 'gelu_pytorch_tanh':
    case 'gelu_fast': {
      const x3 = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [x3, g.f32(0.044715)])]), g.f32(SQRT_2_OVER_PI)]);
      return g.op('Mul', [g.op('Mul', [x, half()]), g.op('Add', [one(), g.op('Tanh', [inner])])]);
    }
    case 'quick_gelu': // x * sigmoid(1.702 x)
      return g.op('Mul', [x, g.op('Sigmoid', [g.op('Mul', [x, g.f32(1.702)])])]);
    case 'relu':
      return g.op('Relu', [x]);
    case 'silu':
    case 'swish':
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'tanh':
      return g.op('Tanh', [x]);
    case 'sigmoid':
      return g.op('Sigmoid', [x]);
    case 'linear':
      return x;
  }
}

/** act(x + bias): com.microsoft BiasGelu (erf) / FastGelu (tanh form) when optimized. */
export function biasActivation(e: Emit, act: HiddenAct, x: string, bias: string): string {
  if (e.optimized && act === 'gelu') return e.g.op('BiasGelu', [x, bias], {}, { domain: MS_DOMAIN });
  if (e.optimized && (act === 'gelu_new' || act === 'gelu_pytorch_tanh' || act === 'gelu_fast')) {
    return e.g.op('FastGelu', [x, bias], {}, { domain: MS_DOMAIN });
  }
  return activation(e, act, e.g.op('Add', [x, bias]));
}
