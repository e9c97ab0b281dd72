// AlbertModel: embeddings → transformer → pooler (tanh(dense(h[:, 0]))).
// Ports AlbertModel.forward:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L372-L410
import { FLOAT32_MIN } from '@albertjs/core';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import type { RunContext } from './context.js';
import { type EmbeddingInputs, embeddings } from './embeddings.js';
import { linear } from './ops.js';
import { type EncoderOutput, transformer } from './transformer.js';

export interface ModelInputs extends EmbeddingInputs {
  /** [B, S] 1 = attend, 0 = padding (int32; core's prepareInputs maps any non-zero value to 1). */
  attentionMask: tf.Tensor;
}

export interface AlbertModelOutput extends EncoderOutput {
  poolerOutput?: tf.Tensor; // [B, H]
}

/** [B, S] {0,1} (core's prepared mask) → additive [B, 1, 1, S]: 0 attended, finfo(float32).min masked. */
export function extendedMask(attentionMask: tf.Tensor): tf.Tensor {
  const [B, S] = attentionMask.shape as [number, number];
  const m = tf.reshape(tf.cast(attentionMask, 'float32'), [B, 1, 1, S]); // [B, 1, 1, S]
  return tf.mul(tf.sub(1, m), FLOAT32_MIN);
}

/** @param p the base model view (`albert` inside heads, root for AlbertModel) */
export function albertModel(p: ParamView, inp: ModelInputs, ctx: RunContext, withPooler: boolean): AlbertModelOutput {
  const embedded = embeddings(p.pp('embeddings'), inp, ctx); // [B, S, E]
  const enc = transformer(p.pp('encoder'), embedded, extendedMask(inp.attentionMask), ctx);
  if (!withPooler) return enc;
  const [B, , H] = enc.lastHiddenState.shape as [number, number, number];
  const first = tf.reshape(tf.slice(enc.lastHiddenState, [0, 0, 0], [B, 1, H]), [B, H]); // [B, H]
  return { ...enc, poolerOutput: tf.tanh(linear(first, p.pp('pooler'))) };
}
