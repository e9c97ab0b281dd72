// Output types with the field names of transformers' ModelOutput classes.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/modeling_outputs.py#L69 (BaseModelOutputWithPooling and the classes after it)
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L317-L334 (AlbertForPreTrainingOutput)
import type { Tensor } from './tensor.js';

export type F32 = Tensor<Float32Array>;

interface WithHiddenStates {
  /** 1 + num_hidden_layers × inner_group_num entries (transformers 5.x): embeddings, then every inner layer. */
  hidden_states?: F32[];
  /** One [B, heads, S, S] entry per inner layer application (eager only). */
  attentions?: F32[];
}

export interface BaseModelOutputWithPooling extends WithHiddenStates {
  last_hidden_state: F32; // [B, S, H]
  pooler_output?: F32; // [B, H]  (absent when the model has no pooler)
}
export interface AlbertForPreTrainingOutput extends WithHiddenStates {
  loss?: F32;
  prediction_logits: F32; // [B, S, V]
  sop_logits: F32; // [B, 2]
}
export interface MaskedLMOutput extends WithHiddenStates {
  loss?: F32;
  logits: F32; // [B, S, V]
}
export interface SequenceClassifierOutput extends WithHiddenStates {
  loss?: F32;
  logits: F32; // [B, num_labels]
}
export interface TokenClassifierOutput extends WithHiddenStates {
  loss?: F32;
  logits: F32; // [B, S, num_labels]
}
export interface QuestionAnsweringModelOutput extends WithHiddenStates {
  loss?: F32;
  start_logits: F32; // [B, S]
  end_logits: F32; // [B, S]
}
export interface MultipleChoiceModelOutput extends WithHiddenStates {
  loss?: F32;
  logits: F32; // [B, num_choices]
}

export interface HeadOutputs {
  AlbertModel: BaseModelOutputWithPooling;
  AlbertForPreTraining: AlbertForPreTrainingOutput;
  AlbertForMaskedLM: MaskedLMOutput;
  AlbertForSequenceClassification: SequenceClassifierOutput;
  AlbertForTokenClassification: TokenClassifierOutput;
  AlbertForQuestionAnswering: QuestionAnsweringModelOutput;
  AlbertForMultipleChoice: MultipleChoiceModelOutput;
}

export type AnyModelOutput = HeadOutputs[keyof HeadOutputs];

/** Flattens an output into `name → tensor` with the fixtures' naming (`hidden_states.3`, `attentions.0`). */
export function flattenOutput(out: AnyModelOutput): Map<string, F32> {
  const m = new Map<string, F32>();
  for (const [k, v] of Object.entries(out)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      v.forEach((t, i) => {
        m.set(`${k}.${i}`, t as F32);
      });
    } else m.set(k, v as F32);
  }
  return m;
}
