// Gradients of the activations and softmaxes. See ORT_GRADIENT_BUILDER: GetErfGradient, GetTanhGradient,
// GetSigmoidGradient, GetReluGradient, GetExpGradient, GetLogGradient, GetAbsGradient,
// GetSoftmaxGradient, GetLogSoftmaxGradient (onnxruntime emits fused *Grad contrib kernels of its training
// build; these are their plain-op formulas).
import { i } from '../../graph/attrs.js';
import { attrInt } from '../attrs-read.js';
import type { GradEmitter } from '../emitter.js';
import { norm } from '../shapes.js';
import { dy0, type GradRule, type RuleArgs } from './rule.js';

const unary = (f: (e: GradEmitter, x: string, y: string, d: string) => string): GradRule => ({
  inputs: [0],
  grad: (a) => [f(a.e, a.x[0]!, a.y[0]!, dy0(a))],
});

/** d erf(x) = 2/√π · exp(−x²). */
const erf = unary((e, x, _y, d) =>
  e.op('Mul', [d, e.op('Mul', [e.f32(2 / Math.sqrt(Math.PI)), e.op('Exp', [e.op('Neg', [e.op('Mul', [x, x])])])])]),
);
/** d tanh = 1 − y². */
const tanh = unary((e, _x, y, d) => e.op('Mul', [d, e.op('Sub', [e.f32(1), e.op('Mul', [y, y])])]));
/** d σ = y (1 − y). */
const sigmoid = unary((e, _x, y, d) => e.op('Mul', [d, e.op('Mul', [y, e.op('Sub', [e.f32(1), y])])]));
const relu = unary((e, x, _y, d) => e.op('Where', [e.op('Greater', [x, e.f32(0)]), d, e.f32(0)]));
const exp = unary((e, _x, y, d) => e.op('Mul', [d, y]));
const log = unary((e, x, _y, d) => e.op('Div', [d, x]));
const abs = unary((e, x, _y, d) => e.op('Mul', [d, e.op('Sign', [x])]));
/** d softplus = σ(x). */
const softplus = unary((e, x, _y, d) => e.op('Mul', [d, e.op('Sigmoid', [x])]));

function axisOf(a: RuleArgs): number {
  return norm(attrInt(a.node, 'axis', -1), a.e.rank(a.x[0]!));
}

/** dx = y · (dy − Σ_axis dy·y). */
const softmax: GradRule = {
  inputs: [0],
  grad: (a) => {
    const { e } = a;
    const y = a.y[0]!;
    const d = dy0(a);
    const s = e.op('ReduceSum', [e.op('Mul', [d, y]), e.i64([axisOf(a)])], { keepdims: i(1) });
    return [e.op('Mul', [y, e.op('Sub', [d, s])])];
  },
};

/** dx = dy − exp(y) · Σ_axis dy. */
const logSoftmax: GradRule = {
  inputs: [0],
  grad: (a) => {
    const { e } = a;
    const d = dy0(a);
    const s = e.op('ReduceSum', [d, e.i64([axisOf(a)])], { keepdims: i(1) });
    return [e.op('Sub', [d, e.op('Mul', [e.op('Exp', [a.y[0]!]), s])])];
  },
};

export const ACTIVATION_RULES: Record<string, GradRule> = {
  Erf: erf,
  Tanh: tanh,
  Sigmoid: sigmoid,
  Relu: relu,
  Exp: exp,
  Log: log,
  Abs: abs,
  Softplus: softplus,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
};
