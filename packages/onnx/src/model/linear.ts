// Emission of Linear / LayerNorm ops from stored weight values. These run either in the main graph or
// in the body of the shared-layer function (where the weights are the function's inputs).
import { f, i } from '../graph/attrs.js';
import type { GraphBuilder } from '../graph/builder.js';
import { ELEM_TO_ONNX, MS_DOMAIN } from '../graph/proto.js';

/** A torch Linear as graph values: fp32 [in, out] weight, or int8 [in, out] + per-column scales. */
export type LinearW = { kind: 'f32'; w: string; b?: string } | { kind: 'int8'; q: string; scale: string; b?: string };

/** A LayerNorm's weight and bias values. */
export interface NormW {
  w: string;
  b: string;
}

/** Where ops go and how: the builder (graph or function body), the flavour and the LayerNorm eps. */
export interface Emit {
  g: GraphBuilder;
  optimized: boolean;
  eps: number;
  /** The com.microsoft kernel of fused attention (sdpa in optimized graphs). */
  attentionOp?: FusedAttentionOp;
  /** Residual + LayerNorm as com.microsoft SkipLayerNormalization (optimized only). */
  skipLayerNorm?: boolean;
}

export type FusedAttentionOp = 'Attention' | 'MultiHeadAttention';

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

/** nn.LayerNorm over the last axis (opset-17 LayerNormalization). */
export function emitLayerNorm(e: Emit, x: string, n: NormW): string {
  return e.g.op('LayerNormalization', [x, n.w, n.b], { axis: i(-1), epsilon: f(e.eps) });
}

/** LayerNorm(skip + x + bias): com.microsoft SkipLayerNormalization when optimized and asked for. */
export function emitAddLayerNorm(e: Emit, x: string, skip: string, bias: string | undefined, n: NormW): string {
  const { g } = e;
  if (e.optimized && e.skipLayerNorm) {
    return g.op(
      'SkipLayerNormalization',
      [x, skip, n.w, n.b, ...(bias ? [bias] : [])],
      { epsilon: f(e.eps) },
      { domain: MS_DOMAIN },
    );
  }
  const y = bias ? g.op('Add', [x, bias]) : x;
  return emitLayerNorm(e, g.op('Add', [skip, y]), n);
}
