// AlbertEmbeddings (word + token_type + position, LayerNorm; dropout is identity in eval).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L49-L107 (class AlbertEmbeddings)
import type { AlbertConfig, PreparedInputs, WeightMap } from '@albertjs/core';
import { embedding } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';

export class AlbertEmbeddings {
  private constructor(
    private readonly word: GpuTensor,
    private readonly position: GpuTensor,
    private readonly tokenType: GpuTensor,
    private readonly gamma: GpuTensor,
    private readonly beta: GpuTensor,
    private readonly eps: number,
  ) {}

  /** `w` is the `embeddings` view. */
  static load(store: WeightStore, w: WeightMap, c: AlbertConfig): AlbertEmbeddings {
    const E = c.embedding_size;
    const up = (n: string, shape: number[]) => store.get(w.get(n, shape), `${w.prefix}.${n}`);
    return new AlbertEmbeddings(
      up('word_embeddings.weight', [c.vocab_size, E]),
      up('position_embeddings.weight', [c.max_position_embeddings, E]),
      up('token_type_embeddings.weight', [c.type_vocab_size, E]),
      up('LayerNorm.weight', [E]),
      up('LayerNorm.bias', [E]),
      c.layer_norm_eps,
    );
  }

  /** The word embedding matrix [V, E] (bound again by a tied MLM decoder). */
  get wordEmbeddings(): GpuTensor {
    return this.word;
  }

  /** Returns [B·S, E]. */
  forward(rec: Recorder, x: PreparedInputs): GpuTensor {
    const T = x.batch * x.seq;
    const idx = new Int32Array(3 * T); // [3, T]: ids | token types | positions
    if (x.inputIds) idx.set(x.inputIds, 0);
    idx.set(x.tokenTypeIds, T);
    idx.set(x.positionIds, 2 * T);
    const indices = rec.upload(idx, [3, T], 'input_ids|token_type_ids|position_ids');
    const embeds = x.inputsEmbeds ? rec.upload(x.inputsEmbeds, [T, this.word.shape[1]!], 'inputs_embeds') : undefined;
    const out = embedding(rec, {
      indices,
      ...(embeds ? { inputsEmbeds: embeds } : {}),
      word: this.word,
      tokenType: this.tokenType,
      position: this.position,
      gamma: this.gamma,
      beta: this.beta,
      eps: this.eps,
    });
    rec.free(indices);
    rec.free(embeds);
    return out;
  }
}
