/** hidden_act values transformers' ACT2FN accepts for ALBERT (activations.py). */
export const HIDDEN_ACTS = [
  'gelu',
  'gelu_new',
  'gelu_pytorch_tanh',
  'gelu_fast',
  'quick_gelu',
  'relu',
  'silu',
  'swish',
  'tanh',
  'sigmoid',
  'linear',
] as const;
export type HiddenAct = (typeof HIDDEN_ACTS)[number];

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Reference scalar definitions (float64), used by every backend's activation tests. */
export const ACTIVATION_REFERENCE: Record<HiddenAct, (x: number) => number> = {
  // GELUActivation: x * 0.5 * (1 + erf(x / sqrt(2)))
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  // NewGELUActivation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
  gelu_new: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  gelu_pytorch_tanh: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  // FastGELUActivation: 0.5 x (1 + tanh(x * 0.7978845608 * (1 + 0.044715 x^2)))
  gelu_fast: (x) => 0.5 * x * (1 + Math.tanh(x * 0.7978845608 * (1 + 0.044715 * x * x))),
  // QuickGELUActivation: x * sigmoid(1.702 x)
  quick_gelu: (x) => x / (1 + Math.exp(-1.702 * x)),
  relu: (x) => Math.max(0, x),
  silu: (x) => x / (1 + Math.exp(-x)),
  swish: (x) => x / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  linear: (x) => x,
};

/** erf with |error| < 1.2e-16 over the reals (W. J. Cody's rational approximations via erfc continued fraction). */
export function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is only 1.5e-7; use a series / continued fraction for float64 accuracy.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = ax;
    let term = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc continued fraction (Lentz) for large |x|.
  let f = ax;
  let c = ax;
  let d = 0;
  const tiny = 1e-300;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = ax + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  const r = 1 - erfc;
  return x < 0 ? -r : r;
}
