// Device results → transformers' output objects (core/outputs.ts names), plus losses from the
// logits with core's reference loss definitions (float64 on the CPU).
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py (loss blocks of AlbertFor*)
import {
  type AlbertConfig,
  type AlbertInputs,
  type AnyModelOutput,
  crossEntropy,
  type F32,
  type HeadName,
  InputError,
  numbers,
  questionAnsweringLoss,
  scalar,
  sequenceClassificationLoss,
  Tensor,
  toInt32Ids,
} from '@albertjs/core';

/** Labels as a tensor: float tensors stay float (regression, multi-label), ids become int32. */
export function labelTensor(name: string, v: AlbertInputs['labels']): Tensor {
  if (v instanceof Tensor)
    return v.dtype === 'float32' || v.dtype === 'float64' ? v : toInt32Ids(name, v as Tensor<Int32Array>);
  if (Array.isArray(v) && (v as unknown[]).flat(3).some((x) => typeof x === 'number' && !Number.isInteger(x))) {
    const flat = (v as unknown[]).flat(3) as number[];
    return Tensor.f32(flat, [flat.length]);
  }
  const t = toInt32Ids(name, v as NonNullable<AlbertInputs['input_ids']>);
  return t;
}

export interface RawResults {
  lead: number[];
  seq: number;
  /** last hidden state [batch·seq·H]. */
  last?: Float32Array;
  pooled?: Float32Array;
  mlm?: Float32Array;
  pooledLogits?: Float32Array;
  tokenLogits?: Float32Array;
  hiddenStates?: Float32Array[];
  attentions?: Float32Array[];
}

function tokenCrossEntropy(logits: Float32Array, n: number, labels: Tensor, what: string, rows: number): number {
  if (labels.size !== rows)
    throw new InputError(`${what} must have ${rows} elements (one per token), got shape [${labels.shape.join(', ')}]`);
  return crossEntropy(logits, n, numbers(labels));
}

export function buildOutput(head: HeadName, c: AlbertConfig, r: RawResults, inputs: AlbertInputs): AnyModelOutput {
  const { lead, seq } = r;
  const batch = lead.reduce((p, d) => p * d, 1);
  const H = c.hidden_size;
  const f = (data: Float32Array, shape: number[]): F32 => new Tensor('float32', data, shape);
  const extra: { hidden_states?: F32[]; attentions?: F32[] } = {};
  if (r.hiddenStates) extra.hidden_states = r.hiddenStates.map((d) => f(d, [batch, seq, H])); // [batch, S, H]
  if (r.attentions) extra.attentions = r.attentions.map((d) => f(d, [batch, c.num_attention_heads, seq, seq])); // [batch, heads, S, S]
  const withLoss = <T extends object>(o: T, loss: number | undefined): T =>
    loss === undefined ? o : { loss: scalar(loss), ...o };
  /** Per-token logits [..., S, width] (MLM, token classification) and their cross-entropy on `labels`. */
  const perToken = (logits: Float32Array, width: number) => {
    const loss =
      inputs.labels === undefined
        ? undefined
        : tokenCrossEntropy(logits, width, labelTensor('labels', inputs.labels), 'labels', batch * seq);
    return withLoss({ logits: f(logits, [...lead, seq, width]), ...extra }, loss); // [..., S, width]
  };
  switch (head) {
    case 'AlbertModel':
      return {
        last_hidden_state: f(r.last!, [...lead, seq, H]),
        ...(r.pooled ? { pooler_output: f(r.pooled, [batch, H]) } : {}),
        ...extra,
      };
    case 'AlbertForPreTraining': {
      const V = c.vocab_size;
      let loss: number | undefined;
      if (inputs.labels !== undefined && inputs.sentence_order_label !== undefined) {
        const mlm = tokenCrossEntropy(r.mlm!, V, labelTensor('labels', inputs.labels), 'labels', batch * seq);
        const sop = crossEntropy(
          r.pooledLogits!,
          2,
          numbers(toInt32Ids('sentence_order_label', inputs.sentence_order_label)),
        );
        loss = mlm + sop;
      }
      return withLoss(
        { prediction_logits: f(r.mlm!, [...lead, seq, V]), sop_logits: f(r.pooledLogits!, [batch, 2]), ...extra },
        loss,
      );
    }
    case 'AlbertForMaskedLM':
      return perToken(r.mlm!, c.vocab_size);
    case 'AlbertForSequenceClassification': {
      const logits = f(r.pooledLogits!, [batch, c.num_labels]);
      const loss =
        inputs.labels === undefined
          ? undefined
          : sequenceClassificationLoss(c, logits, labelTensor('labels', inputs.labels));
      return withLoss({ logits, ...extra }, loss);
    }
    case 'AlbertForTokenClassification':
      return perToken(r.tokenLogits!, c.num_labels);
    case 'AlbertForQuestionAnswering': {
      // qa_outputs gives [B·S, 2]; split(1, dim=-1) → start, end [B, S]
      const n = batch * seq;
      const start = new Float32Array(n);
      const end = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        start[i] = r.tokenLogits![2 * i]!;
        end[i] = r.tokenLogits![2 * i + 1]!;
      }
      const s = f(start, [...lead, seq]);
      const e = f(end, [...lead, seq]);
      let loss: number | undefined;
      if (inputs.start_positions !== undefined && inputs.end_positions !== undefined) {
        loss = questionAnsweringLoss(
          s,
          e,
          toInt32Ids('start_positions', inputs.start_positions, [batch]),
          toInt32Ids('end_positions', inputs.end_positions, [batch]),
        );
      }
      return withLoss({ start_logits: s, end_logits: e, ...extra }, loss);
    }
    case 'AlbertForMultipleChoice': {
      const [B, C] = lead as [number, number];
      const logits = f(r.pooledLogits!, [B, C]); // [B·C, 1] viewed as [B, C]
      const loss =
        inputs.labels === undefined
          ? undefined
          : crossEntropy(logits.data, C, numbers(labelTensor('labels', inputs.labels)));
      return withLoss({ logits, ...extra }, loss);
    }
  }
}
