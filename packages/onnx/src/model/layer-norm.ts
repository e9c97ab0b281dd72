// Emission of nn.LayerNorm (opset-17 LayerNormalization, or com.microsoft SkipLayerNormalization fused
// with the residual add in optimized graphs).
import { f, i } from '../graph/attrs.js';
import { MS_DOMAIN } from '../graph/proto.js';
import type { Emit } from './emit.js';

/** A LayerNorm's weight and bias values. */
export interface NormW {
  w: string;
  b: string;
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
