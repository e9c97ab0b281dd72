// Every ALBERT model class described once: whether its base model has the pooler, which projections run
// on the base model's outputs (MLM head, a linear layer on the pooled output or on every token), the
// weight keys of those projections, the HF output fields they fill and the loss the class computes.
// Backends build their model math from this table (a few kinds) instead of switching over seven heads.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L405-L935
import type { AlbertConfig } from '../config.js';
import type { HeadName } from './names.js';

/** A linear projection of a base-model output: `${key}.weight` [out, hidden_size], `${key}.bias` [out]. */
export interface LinearSpec {
  key: string;
  out: (c: AlbertConfig) => number;
  /**
   * Dropout before it in training: `classifier` = classifier_dropout_prob; `classifier-or-hidden` =
   * classifier_dropout_prob, or hidden_dropout_prob when that is null (AlbertForTokenClassification).
   */
  dropout: 'classifier' | 'classifier-or-hidden' | 'none';
}

/** The dropout probability of a LinearSpec under `c`. */
export function linearDropout(l: LinearSpec, c: AlbertConfig): number {
  if (l.dropout === 'none') return 0;
  if (l.dropout === 'classifier') return c.classifier_dropout_prob ?? 0;
  return c.classifier_dropout_prob ?? c.hidden_dropout_prob;
}

/**
 * Where an output field comes from:
 * - `last`: the last hidden state [..lead, S, H]; `pooled`: the pooler output [batch, H];
 * - `mlm`: AlbertMLMHead (`predictions.*`) on the last hidden state [..lead, S, V];
 * - `onPooled`: the head's linear layer on the pooled output [batch, n] ([B, C] for multiple choice);
 * - `onTokens`: the head's linear layer on every token [..lead, S, n], or one `column` of it [..lead, S].
 */
export type FieldSource = 'last' | 'pooled' | 'mlm' | 'onPooled' | 'onTokens';

export interface FieldSpec {
  name: string;
  from: FieldSource;
  column?: number;
}

/** The loss a head computes when given its labels (modeling_albert.py's forward()). */
export type LossKind = 'none' | 'pretraining' | 'tokens' | 'sequence' | 'choice' | 'span';

export interface HeadSpec {
  /** add_pooling_layer of the base model. */
  pooler: boolean;
  /** Prefix of the base model's weights in this class's checkpoints. */
  basePrefix: '' | 'albert.';
  /** AlbertMLMHead on the last hidden state (`predictions.*`, decoder tied to the word embeddings). */
  mlm: boolean;
  /** Linear layer on the pooled output. */
  onPooled?: LinearSpec;
  /** Linear layer on every token's last hidden state. */
  onTokens?: LinearSpec;
  /** HF output fields, in ModelOutput order (loss, hidden_states and attentions are added by assembleOutput). */
  fields: readonly FieldSpec[];
  loss: LossKind;
}

const numLabels = (c: AlbertConfig) => c.num_labels;

export const HEADS: Readonly<Record<HeadName, HeadSpec>> = {
  AlbertModel: {
    pooler: true,
    basePrefix: '',
    mlm: false,
    fields: [
      { name: 'last_hidden_state', from: 'last' },
      { name: 'pooler_output', from: 'pooled' },
    ],
    loss: 'none',
  },
  AlbertForPreTraining: {
    pooler: true,
    basePrefix: 'albert.',
    mlm: true,
    onPooled: { key: 'sop_classifier.classifier', out: () => 2, dropout: 'classifier' },
    fields: [
      { name: 'prediction_logits', from: 'mlm' },
      { name: 'sop_logits', from: 'onPooled' },
    ],
    loss: 'pretraining',
  },
  AlbertForMaskedLM: {
    pooler: false,
    basePrefix: 'albert.',
    mlm: true,
    fields: [{ name: 'logits', from: 'mlm' }],
    loss: 'tokens',
  },
  AlbertForSequenceClassification: {
    pooler: true,
    basePrefix: 'albert.',
    mlm: false,
    onPooled: { key: 'classifier', out: numLabels, dropout: 'classifier' },
    fields: [{ name: 'logits', from: 'onPooled' }],
    loss: 'sequence',
  },
  AlbertForMultipleChoice: {
    pooler: true,
    basePrefix: 'albert.',
    mlm: false,
    onPooled: { key: 'classifier', out: () => 1, dropout: 'classifier' },
    fields: [{ name: 'logits', from: 'onPooled' }],
    loss: 'choice',
  },
  AlbertForTokenClassification: {
    pooler: false,
    basePrefix: 'albert.',
    mlm: false,
    onTokens: { key: 'classifier', out: numLabels, dropout: 'classifier-or-hidden' },
    fields: [{ name: 'logits', from: 'onTokens' }],
    loss: 'tokens',
  },
  AlbertForQuestionAnswering: {
    pooler: false,
    basePrefix: 'albert.',
    mlm: false,
    onTokens: { key: 'qa_outputs', out: () => 2, dropout: 'none' },
    fields: [
      { name: 'start_logits', from: 'onTokens', column: 0 },
      { name: 'end_logits', from: 'onTokens', column: 1 },
    ],
    loss: 'span',
  },
};
