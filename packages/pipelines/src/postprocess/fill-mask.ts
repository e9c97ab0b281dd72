// Fill-mask post-processing: softmax over the vocabulary at every [MASK], optional target restriction, top-k.
// Port of FillMaskPipeline.postprocess:
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/fill_mask.py
import { InputError } from '@albertjs/core';
import { softmax, topKIndices } from '../math.js';

export interface FillMaskPrediction {
  /** Probability of `token` at the mask (softmax over the whole vocabulary). */
  score: number;
  token: number;
  token_str: string;
  /** The input with this token in place of the mask. */
  sequence: string;
}

export interface FillMaskPostprocessArgs {
  /** Logits of one sequence, [S, V] row-major. */
  logits: Float32Array;
  vocabSize: number;
  /** The sequence's ids, [S] (padding included if the row was padded). */
  inputIds: readonly number[];
  maskTokenId: number;
  padTokenId: number;
  topK?: number;
  /** Restrict the candidates to these ids (scores stay the full-vocabulary probabilities). */
  targetIds?: readonly number[];
  decode: (ids: number[], options: { skipSpecialTokens: boolean }) => string;
}

/** One ranked list per [MASK] in the sequence, in sequence order. */
export function fillMaskPostprocess(a: FillMaskPostprocessArgs): FillMaskPrediction[][] {
  const V = a.vocabSize;
  const S = a.inputIds.length;
  if (a.logits.length !== S * V)
    throw new InputError(`fill-mask logits have ${a.logits.length} values, expected [S=${S}, V=${V}] = ${S * V}`);
  let topK = a.topK ?? 5;
  if (!Number.isInteger(topK) || topK < 1)
    throw new InputError(`fill-mask topK must be a positive integer, got ${topK}`);
  if (a.targetIds && a.targetIds.length < topK) topK = a.targetIds.length;
  const maskedIndex: number[] = [];
  a.inputIds.forEach((id, i) => {
    if (id === a.maskTokenId) maskedIndex.push(i);
  });
  if (maskedIndex.length === 0)
    throw new InputError(`fill-mask: no mask token (id ${a.maskTokenId}) in the input ids [${a.inputIds.join(', ')}]`);
  const singleMask = maskedIndex.length === 1;
  return maskedIndex.map((pos) => {
    const probs = softmax(a.logits, pos * V, V);
    const cand = a.targetIds ? a.targetIds.map((t) => probs[t]!) : probs;
    return topKIndices(cand, topK).map((k) => {
      const p = a.targetIds ? a.targetIds[k]! : k;
      const tokens = a.inputIds.map((t, i) => (i === pos ? p : t)).filter((t) => t !== a.padTokenId);
      return {
        score: cand[k]!,
        token: p,
        token_str: a.decode([p], { skipSpecialTokens: false }),
        sequence: a.decode(tokens, { skipSpecialTokens: singleMask }),
      };
    });
  });
}
