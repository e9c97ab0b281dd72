// Device results → transformers' output objects (core/outputs.ts names); losses from the logits by core's headLoss
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py (loss blocks of AlbertFor*)
import {
  type AlbertConfig,
  type AlbertInputs,
  type AnyModelOutput,
  type F32,
  type HeadName,
  headLoss,
  Tensor,
} from '@albertjs/core';

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

/** The head's output object (core/outputs.ts names) from the device results, with core's `headLoss` when labels are given. */
export function buildOutput(head: HeadName, c: AlbertConfig, r: RawResults, inputs: AlbertInputs): AnyModelOutput {
  const out = logitsOutput(head, c, r);
  const loss = headLoss(head, c, inputs, out as unknown as Record<string, F32>);
  return loss === undefined ? out : ({ loss, ...out } as AnyModelOutput);
}

function logitsOutput(head: HeadName, c: AlbertConfig, r: RawResults): AnyModelOutput {
  const { lead, seq } = r;
  const batch = lead.reduce((p, d) => p * d, 1);
  const H = c.hidden_size;
  const f = (data: Float32Array, shape: number[]): F32 => new Tensor('float32', data, shape);
  const extra: { hidden_states?: F32[]; attentions?: F32[] } = {};
  if (r.hiddenStates) extra.hidden_states = r.hiddenStates.map((d) => f(d, [batch, seq, H])); // [batch, S, H]
  if (r.attentions) extra.attentions = r.attentions.map((d) => f(d, [batch, c.num_attention_heads, seq, seq])); // [batch, heads, S, S]
  switch (head) {
    case 'AlbertModel':
      return {
        last_hidden_state: f(r.last!, [...lead, seq, H]),
        ...(r.pooled ? { pooler_output: f(r.pooled, [batch, H]) } : {}),
        ...extra,
      };
    case 'AlbertForPreTraining':
      return {
        prediction_logits: f(r.mlm!, [...lead, seq, c.vocab_size]), // [..., S, V]
        sop_logits: f(r.pooledLogits!, [batch, 2]),
        ...extra,
      };
    case 'AlbertForMaskedLM':
      return { logits: f(r.mlm!, [...lead, seq, c.vocab_size]), ...extra }; // [..., S, V]
    case 'AlbertForSequenceClassification':
      return { logits: f(r.pooledLogits!, [batch, c.num_labels]), ...extra };
    case 'AlbertForTokenClassification':
      return { logits: f(r.tokenLogits!, [...lead, seq, c.num_labels]), ...extra }; // [..., S, labels]
    case 'AlbertForQuestionAnswering': {
      // qa_outputs gives [B·S, 2]; split(1, dim=-1) → start, end [B, S]
      const n = batch * seq;
      const start = new Float32Array(n);
      const end = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        start[i] = r.tokenLogits![2 * i]!;
        end[i] = r.tokenLogits![2 * i + 1]!;
      }
      return { start_logits: f(start, [...lead, seq]), end_logits: f(end, [...lead, seq]), ...extra };
    }
    case 'AlbertForMultipleChoice': {
      const [B, C] = lead as [number, number];
      return { logits: f(r.pooledLogits!, [B, C]), ...extra }; // [B·C, 1] viewed as [B, C]
    }
  }
}
