// feature-extraction: AlbertModel's last_hidden_state, per token or pooled (CLS / mean) and optionally
// normalized; FeatureExtractionPipeline in https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/feature_extraction.py
import { Tensor } from '@albertjs/core';
import { featureExtractionPostprocess, type Pooling } from '../postprocess/feature-extraction.js';
import { asList, TaskPipeline } from './context.js';

export interface FeatureExtractionOptions {
  /** 'none' (default): one vector per token; 'cls': the [CLS] vector; 'mean': attention-masked mean. */
  pooling?: Pooling;
  /** L2-normalize every returned vector (default false). */
  normalize?: boolean;
}

export class FeatureExtractionPipeline extends TaskPipeline<'AlbertModel'> {
  readonly task = 'feature-extraction';
  protected readonly knownOptions: Record<keyof FeatureExtractionOptions, true> = { pooling: true, normalize: true };

  /** One tensor per input: [H] when pooled, [S_i, H] per token (S_i = that input's own length). */
  async run(texts: string, options?: FeatureExtractionOptions): Promise<Tensor<Float32Array>>;
  async run(texts: string[], options?: FeatureExtractionOptions): Promise<Tensor<Float32Array>[]>;
  async run(
    texts: string | string[],
    options: FeatureExtractionOptions = {},
  ): Promise<Tensor<Float32Array> | Tensor<Float32Array>[]> {
    this.checkOptions(options);
    const { items, single } = asList(texts, (x) => typeof x === 'string');
    const encs = items.map((t) => this.encodeOne(t));
    const H = this.config.hidden_size;
    const results = await this.forwardSorted(encs, (out, batch) => {
      const S = out.last_hidden_state.shape[1]!;
      const mask = batch.map((e) => [...e.attention_mask, ...new Array<number>(S - e.attention_mask.length).fill(0)]);
      const pooled = featureExtractionPostprocess({
        lastHiddenState: out.last_hidden_state,
        attentionMask: mask,
        pooling: options.pooling ?? 'none',
        normalize: options.normalize ?? false,
      });
      return batch.map((e, b) => {
        if ((options.pooling ?? 'none') !== 'none') return Tensor.f32(pooled.data.slice(b * H, (b + 1) * H), [H]);
        const n = e.input_ids.length;
        return Tensor.f32(pooled.data.slice(b * S * H, (b * S + n) * H), [n, H]); // [S_b, H]
      });
    });
    return single ? results[0]! : results;
  }
}
