// The tfjs device step: core's prepared inputs as tf tensors for the model (call inside tf.tidy).
import type { AlbertConfig, PreparedInputs } from '@albertjs/core';
import type { HeadInputs } from './model/heads.js';
import { tf } from './tf.js';

export function toHeadInputs(
  p: PreparedInputs,
  c: AlbertConfig,
  headMask?: Float32Array,
): HeadInputs & { headMask?: tf.Tensor } {
  const bs: [number, number] = [p.batch, p.seq];
  const { floats, floatShape, ...labels } = p.labels;
  return {
    ...(p.inputIds ? { inputIds: tf.tensor2d(p.inputIds, bs, 'int32') } : {}),
    ...(p.inputsEmbeds ? { inputsEmbeds: tf.tensor3d(p.inputsEmbeds, [p.batch, p.seq, c.embedding_size]) } : {}), // [B, S, E]
    attentionMask: tf.tensor2d(p.attentionMask, bs, 'int32'),
    tokenTypeIds: tf.tensor2d(p.tokenTypeIds, bs, 'int32'),
    positionIds: tf.tensor2d(p.positionIds, bs, 'int32'),
    ...(p.lead.length === 2 ? { numChoices: p.lead[1]! } : {}),
    ...(headMask ? { headMask: tf.tensor2d(headMask, [c.num_hidden_layers, c.num_attention_heads]) } : {}),
    labels: { ...labels, ...(floats ? { floats: tf.tensor(floats, floatShape!) } : {}) },
  };
}
