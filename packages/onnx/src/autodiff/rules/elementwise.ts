// Gradients of the broadcasting arithmetic ops and of ops that pass values through.
// See ORT_GRADIENT_BUILDER: GetAddSubGradient, GetMulGradient, GetDivGradient, GetNegGradient,
// GetWhereGradient, GetExpandGradient, GetCastGradient.
import { dy0, type GradRule, type RuleArgs } from './rule.js';

const pass: GradRule = { inputs: [0], grad: (a) => [dy0(a)] };

const add: GradRule = {
  inputs: [0, 1],
  grad: (a) => a.x.map((x, k) => (a.need[k] ? a.e.unbroadcast(dy0(a), x) : undefined)),
};

const sum: GradRule = {
  inputs: [0, 1, 2, 3, 4, 5, 6, 7],
  grad: add.grad,
};

const sub: GradRule = {
  inputs: [0, 1],
  grad: (a) => {
    const d = dy0(a);
    return [
      a.need[0] ? a.e.unbroadcast(d, a.x[0]!) : undefined,
      a.need[1] ? a.e.unbroadcast(a.e.op('Neg', [d]), a.x[1]!) : undefined,
    ];
  },
};

const mul: GradRule = {
  inputs: [0, 1],
  grad: (a) => {
    const d = dy0(a);
    const [p, q] = a.x as [string, string];
    return [
      a.need[0] ? a.e.unbroadcast(a.e.op('Mul', [d, q]), p) : undefined,
      a.need[1] ? a.e.unbroadcast(a.e.op('Mul', [d, p]), q) : undefined,
    ];
  },
};

/** y = p / q: dp = dy / q, dq = −dy · y / q. */
const div: GradRule = {
  inputs: [0, 1],
  grad: (a) => {
    const { e } = a;
    const d = dy0(a);
    const [p, q] = a.x as [string, string];
    return [
      a.need[0] ? e.unbroadcast(e.op('Div', [d, q]), p) : undefined,
      a.need[1] ? e.unbroadcast(e.op('Neg', [e.op('Div', [e.op('Mul', [d, a.y[0]!]), q])]), q) : undefined,
    ];
  },
};

const neg: GradRule = { inputs: [0], grad: (a) => [a.e.op('Neg', [dy0(a)])] };

/** Where(c, p, q): dp = Where(c, dy, 0), dq = Where(c, 0, dy). */
const where: GradRule = {
  inputs: [1, 2],
  grad: (a: RuleArgs) => {
    const { e } = a;
    const d = dy0(a);
    const zero = e.f32(0);
    const c = a.x[0]!;
    return [
      undefined,
      a.need[1] ? e.unbroadcast(e.op('Where', [c, d, zero]), a.x[1]!) : undefined,
      a.need[2] ? e.unbroadcast(e.op('Where', [c, zero, d]), a.x[2]!) : undefined,
    ];
  },
};

const expand: GradRule = { inputs: [0], grad: (a) => [a.e.unbroadcast(dy0(a), a.x[0]!)] };

export const ELEMENTWISE_RULES: Record<string, GradRule> = {
  Identity: pass,
  Cast: pass, // float → float only: integer inputs never need a gradient
  Add: add,
  Sum: sum,
  Sub: sub,
  Mul: mul,
  Div: div,
  Neg: neg,
  Where: where,
  Expand: expand,
};
