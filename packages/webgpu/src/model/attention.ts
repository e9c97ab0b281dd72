// AlbertAttention: fused q|k|v projection, eager (materialized probabilities, head_mask) or sdpa
// (flash kernel) attention, output dense, residual + LayerNorm.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L200 (eager_attention_forward, class AlbertAttention)
import type { AlbertConfig, AttnImplementation, WeightMap } from '@albertjs/core';
import { attentionContext, attentionScores, flashAttention, gemm, layerNorm, softmax } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';

export interface AttentionContext {
  batch: number;
  seq: number;
  /** [B, S] additive mask on the device. */
  mask: GpuTensor;
  impl: AttnImplementation;
  /** [layers, heads] factors and the row of this layer (eager only). */
  headMask?: { factors: GpuTensor; layer: number };
  /** Keep the probabilities [B, heads, S, S] (pinned for readback by the caller). */
  wantProbs: boolean;
}

export class AlbertAttention {
  private constructor(
    private readonly qkvWeight: GpuTensor,
    private readonly qkvBias: GpuTensor,
    private readonly dense: { w: GpuTensor; b: GpuTensor },
    private readonly ln: { g: GpuTensor; b: GpuTensor },
    private readonly heads: number,
    private readonly eps: number,
  ) {}

  /** `w` is the `attention` view of one ALBERT layer; q, k, v are concatenated into one [3H, H] weight, uploaded once. */
  static load(store: WeightStore, w: WeightMap, c: AlbertConfig): AlbertAttention {
    const H = c.hidden_size;
    const qkvW = new Float32Array(3 * H * H); // [3H, H]: query rows, then key, then value
    const qkvB = new Float32Array(3 * H);
    ['query', 'key', 'value'].forEach((m, i) => {
      qkvW.set(w.f32(`${m}.weight`, [H, H]).data, i * H * H);
      qkvB.set(w.f32(`${m}.bias`, [H]).data, i * H);
    });
    const up = (n: string, shape: number[]) => store.get(w.get(n, shape), `${w.prefix}.${n}`);
    return new AlbertAttention(
      store.uploadMatmul(qkvW, [3 * H, H], `${w.prefix}.qkv.weight`),
      store.uploadF32(qkvB, [3 * H], `${w.prefix}.qkv.bias`),
      { w: store.matmul(w.get('dense.weight', [H, H]), `${w.prefix}.dense.weight`), b: up('dense.bias', [H]) },
      { g: up('LayerNorm.weight', [H]), b: up('LayerNorm.bias', [H]) },
      c.num_attention_heads,
      c.layer_norm_eps,
    );
  }

  /** x: [B·S, H] → { out: [B·S, H], probs?: [B, heads, S, S] }. */
  forward(rec: Recorder, x: GpuTensor, ctx: AttentionContext): { out: GpuTensor; probs?: GpuTensor } {
    const { batch, seq, mask } = ctx;
    const qkv = gemm(rec, { x, w: this.qkvWeight, bias: this.qkvBias, M: batch * seq, what: 'query|key|value' }); // [B·S, 3H]
    let context: GpuTensor; // [B·S, H], heads merged
    let probs: GpuTensor | undefined;
    if (ctx.impl === 'sdpa') {
      context = flashAttention(rec, { qkv, mask, batch, seq, heads: this.heads });
    } else {
      probs = attentionScores(rec, { qkv, mask, batch, seq, heads: this.heads }); // [B, heads, S, S]
      const hm = ctx.headMask;
      softmax(rec, {
        x: probs,
        ...(hm
          ? { headMask: { factors: hm.factors, offset: hm.layer * this.heads, heads: this.heads, rowsPerHead: seq } }
          : {}),
      });
      context = attentionContext(rec, { probs, qkv, batch, seq, heads: this.heads });
      if (!ctx.wantProbs) {
        rec.free(probs);
        probs = undefined;
      }
    }
    rec.free(qkv);
    const projected = gemm(rec, {
      x: context,
      w: this.dense.w,
      bias: this.dense.b,
      M: batch * seq,
      what: 'attention dense',
    });
    rec.free(context);
    const out = layerNorm(rec, {
      x,
      residual: projected,
      gamma: this.ln.g,
      beta: this.ln.b,
      eps: this.eps,
      what: 'attention output',
    });
    rec.free(projected);
    return probs ? { out, probs } : { out };
  }
}
