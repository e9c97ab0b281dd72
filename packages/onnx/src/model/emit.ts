// Where emitted ops go and how: shared by the Linear and LayerNorm emitters.
import type { GraphBuilder } from '../graph/builder.js';

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
