// AlbertLayer: attention, then ffn → activation → ffn_output, residual + full_layer_layer_norm.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L203-L238 (class AlbertLayer)
import type { AlbertConfig, WeightMap } from '@albertjs/core';
import { gemm, layerNorm } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';
import { AlbertAttention, type AttentionContext } from './attention.js';

export class AlbertLayer {
  private constructor(
    private readonly attention: AlbertAttention,
    private readonly ffn: { w: GpuTensor; b: GpuTensor },
    private readonly ffnOutput: { w: GpuTensor; b: GpuTensor },
    private readonly ln: { g: GpuTensor; b: GpuTensor },
    private readonly config: AlbertConfig,
  ) {}

  /** `w` is the `encoder.albert_layer_groups.<g>.albert_layers.<i>` view. */
  static load(store: WeightStore, w: WeightMap, c: AlbertConfig): AlbertLayer {
    const H = c.hidden_size;
    const I = c.intermediate_size;
    const up = (n: string, shape: number[]) => store.get(w.get(n, shape), `${w.prefix}.${n}`);
    const mm = (n: string, shape: number[]) => store.matmul(w.get(n, shape), `${w.prefix}.${n}`);
    return new AlbertLayer(
      AlbertAttention.load(store, w.pp('attention'), c),
      { w: mm('ffn.weight', [I, H]), b: up('ffn.bias', [I]) },
      { w: mm('ffn_output.weight', [H, I]), b: up('ffn_output.bias', [H]) },
      { g: up('full_layer_layer_norm.weight', [H]), b: up('full_layer_layer_norm.bias', [H]) },
      c,
    );
  }

  /** x: [B·S, H] → [B·S, H] (plus the attention probabilities when asked). */
  forward(rec: Recorder, x: GpuTensor, ctx: AttentionContext): { out: GpuTensor; probs?: GpuTensor } {
    const M = ctx.batch * ctx.seq;
    const att = this.attention.forward(rec, x, ctx);
    const inner = gemm(rec, {
      x: att.out,
      w: this.ffn.w,
      bias: this.ffn.b,
      M,
      act: this.config.hidden_act,
      what: 'ffn',
    }); // [B·S, I]
    const ffnOut = gemm(rec, { x: inner, w: this.ffnOutput.w, bias: this.ffnOutput.b, M, what: 'ffn_output' }); // [B·S, H]
    rec.free(inner);
    const out = layerNorm(rec, {
      x: ffnOut,
      residual: att.out,
      gamma: this.ln.g,
      beta: this.ln.b,
      eps: this.config.layer_norm_eps,
      what: 'hidden state',
    });
    rec.free(ffnOut);
    rec.free(att.out);
    return att.probs ? { out, probs: att.probs } : { out };
  }
}
