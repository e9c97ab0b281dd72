// Gradients of MatMul and Gemm. See ORT_GRADIENT_BUILDER: GetMatMulGradient (a [.., M, K] input times a
// 2-D [K, N] weight: dA through one Gemm on [-1, N] rows, dB = A'ᵀ·dY' on the rows flattened to 2-D;
// batched operands: MatMul with the other operand's last two axes swapped, summed over broadcast axes)
// and GetGemmGradient.
import { f, i } from '../../graph/attrs.js';
import { attrFloat, attrInt } from '../attrs-read.js';
import { dy0, type GradRule } from './rule.js';

const matmul: GradRule = {
  inputs: [0, 1],
  grad: (a) => {
    const { e } = a;
    const d = dy0(a);
    const [A, B] = a.x as [string, string];
    const bd = e.shape(B);
    const ra = e.rank(A);
    if (bd.length === 2 && typeof bd[0] === 'number' && typeof bd[1] === 'number') {
      const [K, N] = bd as [number, number];
      const rows = (v: string, w: number) => (ra === 2 ? v : e.op('Reshape', [v, e.i64([-1, w])])); // [M, w]
      const dA = a.need[0] ? e.op('Gemm', [rows(d, N), B], { transB: i(1) }) : undefined; // [M, K]
      return [
        dA && (ra === 2 ? dA : e.reshapeLike(dA, A)), // the shape of A
        a.need[1] ? e.op('Gemm', [rows(A, K), rows(d, N)], { transA: i(1) }) : undefined, // [K, N]
      ];
    }
    return [
      a.need[0] ? e.unbroadcast(e.op('MatMul', [d, e.transposeLast2(B)]), A) : undefined,
      a.need[1] ? e.unbroadcast(e.op('MatMul', [e.transposeLast2(A), d]), B) : undefined,
    ];
  },
};

const gemm: GradRule = {
  inputs: [0, 1, 2],
  grad: (a) => {
    const { e, node } = a;
    if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1)
      throw new Error('Gemm gradient: only alpha = beta = 1 is supported');
    const d = dy0(a);
    const [A, B, C] = a.x as [string, string, string | undefined];
    const tA = attrInt(node, 'transA', 0) === 1;
    const tB = attrInt(node, 'transB', 0) === 1;
    const gm = (p: string, q: string, ta: boolean, tb: boolean) =>
      e.op('Gemm', [p, q], { ...(ta ? { transA: i(1) } : {}), ...(tb ? { transB: i(1) } : {}), beta: f(0) });
    // Y = op(A)·op(B) + C
    const dA = !a.need[0] ? undefined : tA ? gm(B, d, tB, true) : gm(d, B, false, !tB);
    const dB = !a.need[1] ? undefined : tB ? gm(d, A, true, tA) : gm(A, d, !tA, false);
    return [dA, dB, C && a.need[2] ? e.unbroadcast(d, C) : undefined];
  },
};

export const MATMUL_RULES: Record<string, GradRule> = { MatMul: matmul, Gemm: gemm };
