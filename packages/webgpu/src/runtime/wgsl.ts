// WGSL snippets shared by kernels: activations, the linear workgroup index, row reductions.
import type { HiddenAct } from '@albertjs/core';

/** Index of a workgroup dispatched with grid(): wid.x + wid.y * nwg.x. */
export const LINEAR_GROUP = 'wid.x + wid.y * nwg.x';

/** Activation name → WGSL expression body of `fn act(x: f32) -> f32`. Matches core's ACTIVATION_REFERENCE. */
const ACT_BODIES: Record<HiddenAct | 'none', string> = {
  none: 'return x;',
  linear: 'return x;',
  // GELUActivation: x/2 (1 + erf(x / sqrt 2))
  gelu: 'return 0.5 * x * (1.0 + erf_(x * 0.7071067811865476));',
  // NewGELUActivation / gelu_pytorch_tanh: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  gelu_new: 'return 0.5 * x * (1.0 + tanh_(0.7978845608028654 * (x + 0.044715 * x * x * x)));',
  gelu_pytorch_tanh: 'return 0.5 * x * (1.0 + tanh_(0.7978845608028654 * (x + 0.044715 * x * x * x)));',
  // FastGELUActivation: x/2 (1 + tanh(x * 0.7978845608 (1 + 0.044715 x^2)))
  gelu_fast: 'return 0.5 * x * (1.0 + tanh_(x * 0.7978845608 * (1.0 + 0.044715 * x * x)));',
  quick_gelu: 'return x / (1.0 + exp(-1.702 * x));',
  relu: 'return max(x, 0.0);',
  silu: 'return x / (1.0 + exp(-x));',
  swish: 'return x / (1.0 + exp(-x));',
  tanh: 'return tanh_(x);',
  sigmoid: 'return 1.0 / (1.0 + exp(-x));',
};

/**
 * tanh that never overflows (some drivers compute tanh through exp and give NaN past |x| ≈ 44),
 * and erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), since WGSL has no erf.
 */
const MATH = /* wgsl */ `
fn tanh_(x: f32) -> f32 {
  let t = exp(-2.0 * abs(min(abs(x), 15.0)));
  let r = (1.0 - t) / (1.0 + t);
  if (abs(x) < 0.0625) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-0.3333333333 + x2 * (0.1333333333 + x2 * -0.0539682540)));
  }
  return select(r, -r, x < 0.0);
}
fn erf_(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return select(1.0 - r, r - 1.0, x < 0.0);
}
`;

export function activationWgsl(act: HiddenAct | 'none'): string {
  return `${MATH}\nfn act(x: f32) -> f32 { ${ACT_BODIES[act]} }\n`;
}

/**
 * Workgroup tree reduction over `n` threads (a power of two) in `red`.
 * Call as `let s = reduce_sum(v, lid);` from uniform control flow.
 */
export function reduceSumWgsl(n: number): string {
  return /* wgsl */ `
var<workgroup> red: array<f32, ${n}>;
fn reduce_sum(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${n / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn reduce_max(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${n / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;
}
