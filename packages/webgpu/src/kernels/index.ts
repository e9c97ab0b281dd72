// The kernels, one a file (validate → program → record). An explicit registry, no import side effects.
import { attentionContext } from './attention-context.js';
import { attentionScores } from './attention-scores.js';
import { embedding } from './embedding.js';
import { flashAttention } from './flash-attention.js';
import { gemm } from './gemm.js';
import { layerNorm } from './layer-norm.js';
import { softmax } from './softmax.js';

export type { Activation, GemmArgs } from './gemm.js';
export { attentionContext, attentionScores, embedding, flashAttention, gemm, layerNorm, softmax };

/** Every kernel by name, as the program cache keys begin. */
export const KERNELS = new Map<string, (...args: never[]) => unknown>([
  ['embedding', embedding],
  ['gemm', gemm],
  ['layer_norm', layerNorm],
  ['softmax', softmax],
  ['attention_scores', attentionScores],
  ['attention_context', attentionContext],
  ['flash_attention', flashAttention],
]);
