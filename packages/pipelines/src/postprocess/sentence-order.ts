// Sentence-order prediction from AlbertForPreTraining's SOP head: sop_logits [B, 2], where label 0 means
// the two segments are in their original order and 1 that they were swapped (as the pretraining data
// and the `sentence_order_label` argument define it):
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py
import { InputError } from '@albertjs/core';
import { softmax } from '../math.js';

export type SentenceOrderLabel = 'in_order' | 'swapped';

export interface SentenceOrderResult {
  label: SentenceOrderLabel;
  /** Probability of `label`. */
  score: number;
  /** Probabilities of both labels. */
  scores: Record<SentenceOrderLabel, number>;
}

export function sentenceOrderPostprocess(logits: ArrayLike<number>): SentenceOrderResult {
  if (logits.length !== 2) throw new InputError(`sop_logits must have 2 values per pair, got ${logits.length}`);
  const p = softmax(logits);
  const label: SentenceOrderLabel = p[1]! > p[0]! ? 'swapped' : 'in_order';
  return { label, score: label === 'swapped' ? p[1]! : p[0]!, scores: { in_order: p[0]!, swapped: p[1]! } };
}
