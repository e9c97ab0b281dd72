// AlbertEmbeddings: word + token type + position embeddings (size E), LayerNorm, dropout.
// Ports AlbertEmbeddings.forward:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L49-L107 (class AlbertEmbeddings)
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import type { RunContext } from './context.js';
import { dropout, embeddingLookup, layerNorm } from './ops.js';

export interface EmbeddingInputs {
  /** [B, S] int32, or absent when inputsEmbeds is given. */
  inputIds?: tf.Tensor;
  /** [B, S, E] float32. */
  inputsEmbeds?: tf.Tensor;
  /** [B, S] int32. */
  tokenTypeIds: tf.Tensor;
  /** [B, S] int32. */
  positionIds: tf.Tensor;
}

export function embeddings(p: ParamView, inp: EmbeddingInputs, ctx: RunContext): tf.Tensor {
  const words =
    inp.inputsEmbeds ?? embeddingLookup(p.get('word_embeddings.weight'), inp.inputIds!, ctx.config.pad_token_id); // [B, S, E]
  const types = embeddingLookup(p.get('token_type_embeddings.weight'), inp.tokenTypeIds); // [B, S, E]
  const positions = embeddingLookup(p.get('position_embeddings.weight'), inp.positionIds); // [B, S, E]
  const sum = tf.add(tf.add(words, types), positions);
  return dropout(layerNorm(sum, p.pp('LayerNorm'), ctx.config.layer_norm_eps), ctx.config.hidden_dropout_prob, ctx);
}
