// AlbertModel: embeddings → encoder → pooler (tanh(dense(hidden[:, 0]))).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L337-L410 (class AlbertModel)
import {
  type AlbertConfig,
  type AttnImplementation,
  FLOAT32_MIN,
  type PreparedInputs,
  type WeightMap,
} from '@albertjs/core';
import { gemm } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';
import { AlbertEmbeddings } from './embeddings.js';
import { AlbertTransformer, type EncoderResult } from './transformer.js';

export interface BaseResult extends EncoderResult {
  /** [B, H] when the model has a pooler. */
  pooled?: GpuTensor;
}

export class AlbertModel {
  private constructor(
    readonly embeddings: AlbertEmbeddings,
    private readonly encoder: AlbertTransformer,
    private readonly pooler: { w: GpuTensor; b: GpuTensor } | null,
    private readonly config: AlbertConfig,
  ) {}

  /** `w` is the base model view (`albert` inside a head, the root for AlbertModel). */
  static load(store: WeightStore, w: WeightMap, c: AlbertConfig, withPooler: boolean): AlbertModel {
    const H = c.hidden_size;
    const pooler = withPooler
      ? {
          w: store.matmul(w.get('pooler.weight', [H, H]), `${w.prefix}.pooler.weight`),
          b: store.get(w.get('pooler.bias', [H]), `${w.prefix}.pooler.bias`),
        }
      : null;
    return new AlbertModel(
      AlbertEmbeddings.load(store, w.pp('embeddings'), c),
      AlbertTransformer.load(store, w.pp('encoder'), c),
      pooler,
      c,
    );
  }

  forward(
    rec: Recorder,
    x: PreparedInputs,
    opts: { impl: AttnImplementation; hidden: boolean; attentions: boolean; headMask?: Float32Array },
  ): BaseResult {
    const { batch, seq } = x;
    // 0 where attended, finfo(float32).min where masked (masking_utils.eager_mask), [B, S]
    const additive = new Float32Array(batch * seq);
    for (let i = 0; i < additive.length; i++) additive[i] = x.attentionMask[i] ? 0 : FLOAT32_MIN;
    const mask = rec.upload(additive, [batch, seq], 'attention_mask');
    const headMask = opts.headMask
      ? rec.upload(opts.headMask, [this.config.num_hidden_layers, this.config.num_attention_heads], 'head_mask')
      : undefined;
    const emb = this.embeddings.forward(rec, x); // [B·S, E]
    const enc = this.encoder.forward(
      rec,
      emb,
      { batch, seq, mask, impl: opts.impl, wantProbs: opts.attentions },
      { hidden: opts.hidden, ...(headMask ? { headMask } : {}) },
    );
    rec.free(emb);
    rec.free(mask);
    rec.free(headMask);
    if (!this.pooler) return enc;
    const H = this.config.hidden_size;
    // [CLS] rows of [B, S, H] read with row stride S·H.
    const pooled = gemm(rec, {
      x: enc.last,
      w: this.pooler.w,
      bias: this.pooler.b,
      M: batch,
      lda: seq * H,
      act: 'tanh',
      what: 'pooler_output',
    }); // [B, H]
    return { ...enc, pooled };
  }
}
