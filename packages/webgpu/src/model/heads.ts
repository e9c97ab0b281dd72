// The task heads on top of AlbertModel: MLM transform + tied decoder, sentence-order classifier,
// sequence / token / multiple-choice classifiers and QA span logits. Dropout is identity (eval).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L512-L545 (AlbertMLMHead, AlbertSOPHead)
import {
  type AlbertConfig,
  type FieldSource,
  HEADS,
  type HeadName,
  type LinearSpec,
  type WeightMap,
} from '@albertjs/core';
import { gemm, layerNorm } from '../kernels/index.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import type { WeightStore } from '../runtime/weights.js';
import type { BaseResult } from './albert.js';

/** One head output on the device: row chunks of a [rows, cols] matrix (more than one when a binding would exceed the limit). */
export interface DeviceOutput {
  chunks: GpuTensor[];
  rows: number;
  cols: number;
}

interface Linear {
  w: GpuTensor;
  b: GpuTensor;
}

function linear(store: WeightStore, w: WeightMap, name: string, out: number, inp: number): Linear {
  return {
    w: store.matmul(w.get(`${name}.weight`, [out, inp]), `${name}.weight`),
    b: store.get(w.get(`${name}.bias`, [out]), `${name}.bias`),
  };
}

/** AlbertMLMHead: dense → hidden_act → LayerNorm → decoder (tied to the word embeddings) + bias. */
class MlmHead {
  constructor(
    private readonly dense: Linear,
    private readonly ln: { g: GpuTensor; b: GpuTensor },
    private readonly decoder: Linear,
    private readonly c: AlbertConfig,
  ) {}

  static load(store: WeightStore, w: WeightMap, c: AlbertConfig): MlmHead {
    const E = c.embedding_size;
    const V = c.vocab_size;
    return new MlmHead(
      linear(store, w, 'predictions.dense', E, c.hidden_size),
      {
        g: store.get(w.get('predictions.LayerNorm.weight', [E]), 'predictions.LayerNorm.weight'),
        b: store.get(w.get('predictions.LayerNorm.bias', [E]), 'predictions.LayerNorm.bias'),
      },
      // bindWeights aliases predictions.decoder.weight to the word-embedding Tensor: the store binds the
      // same f32 buffer the embedding gather reads (also on the f16 path, so it is uploaded once).
      {
        w: store.get(w.get('predictions.decoder.weight', [V, E]), 'predictions.decoder.weight'),
        b: store.get(w.get('predictions.bias', [V]), 'predictions.bias'),
      },
      c,
    );
  }

  /** [B·S, H] → logits [B·S, V], split into row chunks when one binding would exceed the limit. */
  forward(rec: Recorder, h: GpuTensor, rows: number): DeviceOutput {
    const c = this.c;
    const E = c.embedding_size;
    const V = c.vocab_size;
    const t = gemm(rec, {
      x: h,
      w: this.dense.w,
      bias: this.dense.b,
      M: rows,
      act: c.hidden_act,
      what: 'predictions.dense',
    }); // [B·S, E]
    const n = layerNorm(rec, {
      x: t,
      gamma: this.ln.g,
      beta: this.ln.b,
      eps: c.layer_norm_eps,
      what: 'predictions.LayerNorm',
    });
    rec.free(t);
    const perChunk = Math.max(1, Math.floor(rec.rt.pool.maxBinding / (V * 4)));
    const chunks: GpuTensor[] = [];
    for (let r0 = 0; r0 < rows; r0 += perChunk) {
      const m = Math.min(perChunk, rows - r0);
      chunks.push(
        gemm(rec, { x: n, w: this.decoder.w, bias: this.decoder.b, M: m, xOffset: r0 * E, what: 'prediction logits' }),
      ); // [m, V]
    }
    rec.free(n);
    return { chunks, rows, cols: V };
  }
}

/** Loaded head: the projections HEADS[head] lists (MLM head, a linear layer on the pooled output or on every token). */
export class AlbertHeadModule {
  private constructor(
    private readonly mlm: MlmHead | null,
    private readonly onPooled: Linear | null,
    private readonly onTokens: Linear | null,
  ) {}

  /** `w` is the root view of a head checkpoint (keys `albert.…`, `predictions.…`, `classifier.…`). */
  static load(head: HeadName, store: WeightStore, w: WeightMap, c: AlbertConfig): AlbertHeadModule {
    const spec = HEADS[head];
    const H = c.hidden_size;
    const lin = (l: LinearSpec | undefined) => (l ? linear(store, w, l.key, l.out(c), H) : null);
    return new AlbertHeadModule(spec.mlm ? MlmHead.load(store, w, c) : null, lin(spec.onPooled), lin(spec.onTokens));
  }

  /** Records the projections: `mlm` ([B·S, V]), `onPooled` ([B, n]) and/or `onTokens` ([B·S, n]). */
  forward(rec: Recorder, base: BaseResult, batch: number, seq: number): Partial<Record<FieldSource, DeviceOutput>> {
    const out: Partial<Record<FieldSource, DeviceOutput>> = {};
    if (this.mlm) out.mlm = this.mlm.forward(rec, base.last, batch * seq);
    if (this.onPooled && base.pooled) {
      const t = gemm(rec, {
        x: base.pooled,
        w: this.onPooled.w,
        bias: this.onPooled.b,
        M: batch,
        what: 'classifier logits',
      }); // [B, n]
      out.onPooled = { chunks: [t], rows: batch, cols: this.onPooled.w.shape[0]! };
    }
    if (this.onTokens) {
      const t = gemm(rec, {
        x: base.last,
        w: this.onTokens.w,
        bias: this.onTokens.b,
        M: batch * seq,
        what: 'token logits',
      }); // [B·S, n]
      out.onTokens = { chunks: [t], rows: batch * seq, cols: this.onTokens.w.shape[0]! };
    }
    return out;
  }
}
