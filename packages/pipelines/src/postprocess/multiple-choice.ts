// Multiple-choice post-processing: softmax over the choices' logits (AlbertForMultipleChoice's
// [B, num_choices] output), choices ranked best first. transformers has no multiple-choice pipeline;
// this follows how its run_swag example reads the logits (argmax over choices):
// https://github.com/huggingface/transformers/blob/main/examples/pytorch/multiple-choice/run_swag.py
import { InputError } from '@albertjs/core';
import { softmax, topKIndices } from '../math.js';

export interface ChoiceScore {
  /** Index of the choice in the input list. */
  index: number;
  choice: string;
  score: number;
}

export interface MultipleChoicePostprocessArgs {
  /** Logits of one question, [num_choices]. */
  logits: ArrayLike<number>;
  choices: readonly string[];
  topK?: number | null;
}

export function multipleChoicePostprocess(a: MultipleChoicePostprocessArgs): ChoiceScore[] {
  if (a.logits.length !== a.choices.length)
    throw new InputError(`multiple-choice logits have ${a.logits.length} values for ${a.choices.length} choices`);
  const p = softmax(a.logits);
  const k = a.topK ?? a.choices.length;
  if (!Number.isInteger(k) || k < 1)
    throw new InputError(`multiple-choice topK must be a positive integer or null, got ${a.topK}`);
  return topKIndices(p, k).map((i) => ({ index: i, choice: a.choices[i]!, score: p[i]! }));
}
