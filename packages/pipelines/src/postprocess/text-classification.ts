// Text-classification post-processing: the score function HF picks from problem_type / num_labels, then top-k.
// Port of TextClassificationPipeline._sanitize_parameters / postprocess:
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/text_classification.py
import { InputError, type ProblemType } from '@albertjs/core';
import { sigmoid, softmax, topKIndices } from '../math.js';

export type ClassificationFunction = 'sigmoid' | 'softmax' | 'none';
export const CLASSIFICATION_FUNCTIONS: readonly ClassificationFunction[] = ['sigmoid', 'softmax', 'none'];

export interface LabelScore {
  label: string;
  score: number;
}

/**
 * HF's default: sigmoid for multi-label or a single label, softmax for single-label or several labels.
 * https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/text_classification.py
 */
export function defaultClassificationFunction(
  problemType: ProblemType | null,
  numLabels: number,
): ClassificationFunction {
  if (problemType === 'multi_label_classification' || numLabels === 1) return 'sigmoid';
  if (problemType === 'single_label_classification' || numLabels > 1) return 'softmax';
  return 'none';
}

export interface TextClassificationPostprocessArgs {
  /** Logits of one input, [num_labels]. */
  logits: ArrayLike<number>;
  id2label: Record<string, string>;
  functionToApply: ClassificationFunction;
  /** Number of labels to return, best first; null returns all of them. */
  topK?: number | null;
}

/** Labels with scores, best first (top_k of them, or all when topK is null). */
export function textClassificationPostprocess(a: TextClassificationPostprocessArgs): LabelScore[] {
  if (!CLASSIFICATION_FUNCTIONS.includes(a.functionToApply)) {
    throw new InputError(
      `functionToApply must be one of ${CLASSIFICATION_FUNCTIONS.join(', ')}, got ${JSON.stringify(a.functionToApply)}`,
    );
  }
  const scores =
    a.functionToApply === 'softmax'
      ? softmax(a.logits)
      : a.functionToApply === 'sigmoid'
        ? sigmoid(a.logits)
        : Float64Array.from(a.logits);
  const k = a.topK === null || a.topK === undefined ? scores.length : a.topK;
  if (!Number.isInteger(k) || k < 1)
    throw new InputError(`text-classification topK must be a positive integer or null, got ${a.topK}`);
  return topKIndices(scores, k).map((i) => ({ label: a.id2label[String(i)] ?? `LABEL_${i}`, score: scores[i]! }));
}
