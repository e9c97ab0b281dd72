// AlbertTransformer: embedding_hidden_mapping_in, then num_hidden_layers applications of the shared
// layer groups (layer i runs group floor(i / (layers / groups)), every inner layer of it).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L258-L285 (class AlbertTransformer)
import { type AlbertConfig, innerLayerKey, type WeightMap } from '@albertjs/core';
import { gemm } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';
import type { AttentionContext } from './attention.js';
import { AlbertLayer } from './layer.js';

export interface EncoderResult {
  last: GpuTensor;
  /** 1 + layers × inner_group_num entries when asked (each pinned for readback). */
  hiddenStates: GpuTensor[];
  attentions: GpuTensor[];
}

export class AlbertTransformer {
  private constructor(
    private readonly mappingIn: { w: GpuTensor; b: GpuTensor },
    /** groups[g][i]: uploaded once, applied by every layer of group g. */
    private readonly groups: AlbertLayer[][],
    private readonly config: AlbertConfig,
  ) {}

  /** `w` is the `encoder` view. */
  static load(store: WeightStore, w: WeightMap, c: AlbertConfig): AlbertTransformer {
    const groups: AlbertLayer[][] = [];
    for (let g = 0; g < c.num_hidden_groups; g++) {
      const layers: AlbertLayer[] = [];
      for (let i = 0; i < c.inner_group_num; i++) layers.push(AlbertLayer.load(store, w.pp(innerLayerKey(g, i)), c));
      groups.push(layers);
    }
    const H = c.hidden_size;
    return new AlbertTransformer(
      {
        w: store.matmul(
          w.get('embedding_hidden_mapping_in.weight', [H, c.embedding_size]),
          `${w.prefix}.embedding_hidden_mapping_in.weight`,
        ),
        b: store.get(w.get('embedding_hidden_mapping_in.bias', [H]), `${w.prefix}.embedding_hidden_mapping_in.bias`),
      },
      groups,
      c,
    );
  }

  /** emb: [B·S, E] → [B·S, H]. */
  forward(
    rec: Recorder,
    emb: GpuTensor,
    ctx: Omit<AttentionContext, 'headMask'>,
    opts: { hidden: boolean; headMask?: GpuTensor },
  ): EncoderResult {
    const c = this.config;
    const M = ctx.batch * ctx.seq;
    let h = gemm(rec, { x: emb, w: this.mappingIn.w, bias: this.mappingIn.b, M, what: 'embedding_hidden_mapping_in' }); // [B·S, H]
    const hiddenStates: GpuTensor[] = [];
    const attentions: GpuTensor[] = [];
    if (opts.hidden) hiddenStates.push(h);
    for (let l = 0; l < c.num_hidden_layers; l++) {
      for (const layer of this.groups[c.groupOfLayer(l)]!) {
        const r = layer.forward(rec, h, {
          ...ctx,
          ...(opts.headMask ? { headMask: { factors: opts.headMask, layer: l } } : {}),
        });
        if (!opts.hidden) rec.free(h);
        h = r.out;
        if (opts.hidden) hiddenStates.push(h);
        if (r.probs) attentions.push(r.probs);
      }
    }
    return { last: h, hiddenStates, attentions };
  }
}
