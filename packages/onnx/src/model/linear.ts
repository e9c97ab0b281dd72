// Emission of torch Linear layers (fp32 or int8) from stored weight values, in the main graph or in the
// body of the shared-layer function (where the weights are the function's inputs).
import { i } from '../graph/attrs.js';
import { ELEM_TO_ONNX, MS_DOMAIN } from '../graph/proto.js';
import type { Emit } from './emit.js';

/** A torch Linear as graph values: fp32 [in, out] weight, or int8 [in, out] + per-column scales. */
export type LinearW = { kind: 'f32'; w: string; b?: string } | { kind: 'int8'; q: string; scale: string; b?: string };

/**
 * x @ W (+ b). int8: standard → DynamicQuantizeLinear + MatMulInteger + rescale, optimized →
 * com.microsoft DynamicQuantizeMatMul (what onnxruntime's quantize_dynamic produces).
 */
export function emitLinear(e: Emit, x: string, lw: LinearW, withBias = true): string {
  const { g } = e;
  const bias = withBias ? lw.b : undefined;
  if (lw.kind === 'f32') {
    const y = g.op('MatMul', [x, lw.w]);
    return bias ? g.op('Add', [y, bias]) : y;
  }
  if (e.optimized)
    return g.op('DynamicQuantizeMatMul', [x, lw.q, lw.scale, '', ...(bias ? [bias] : [])], {}, { domain: MS_DOMAIN });
  const [xq, xs, xzp] = g.opN('DynamicQuantizeLinear', [x], {}, { outputs: 3 }) as [string, string, string];
  const acc = g.op('MatMulInteger', [xq, lw.q, xzp]);
  const y = g.op('Mul', [g.op('Cast', [acc], { to: i(ELEM_TO_ONNX.float32) }), g.op('Mul', [xs, lw.scale])]);
  return bias ? g.op('Add', [y, bias]) : y;
}
