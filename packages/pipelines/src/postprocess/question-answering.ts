// Question-answering post-processing: per window, softmax of start and end logits over the allowed
// (context) tokens, outer product, spans with 0 <= end - start < max_answer_len, top-k across windows,
// optional impossible answer. Port of QuestionAnsweringPipeline.postprocess, select_starts_ends, decode_spans:
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
import { InputError } from '@albertjs/core';

export interface QuestionAnsweringAnswer {
  score: number;
  /** [start, end) character offsets into the context. */
  start: number;
  end: number;
  answer: string;
}

/** One doc_stride window of the context, as the tokenizer and the model produced it. */
export interface QaWindow {
  startLogits: ArrayLike<number>; // [S]
  endLogits: ArrayLike<number>; // [S]
  /** 1 where a token cannot be part of an answer (question, separators, padding); 0 on context tokens and [CLS]. */
  pMask: readonly number[];
  attentionMask?: readonly number[];
  /** Character offsets of every token into the context (meaningful on context tokens). */
  offsets: readonly (readonly [number, number])[];
  /** Word index of every token (null for special tokens); answers are widened to whole words when given. */
  wordIds?: readonly (number | null)[];
  /** Sequence index of every token (1 = context); needed with wordIds to find a word's characters. */
  sequenceIds?: readonly (number | null)[];
}

export interface SpanScores {
  starts: number[];
  ends: number[];
  scores: number[];
}

/**
 * decode_spans: the top-k (start, end) pairs of the outer product start ⊗ end restricted to the upper
 * triangle band 0 <= end - start <= maxAnswerLen - 1, keeping only pairs whose both ends are allowed.
 * https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
 */
export function decodeSpans(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  topK: number,
  maxAnswerLen: number,
  allowed: readonly number[],
): SpanScores {
  const S = start.length;
  // Only the band can score above 0; HF's picks among the zero-scored rest (argpartition order) are arbitrary.
  const cand: { s: number; e: number; score: number }[] = [];
  for (let s = 0; s < S; s++) {
    for (let e = s; e < Math.min(S, s + maxAnswerLen); e++) cand.push({ s, e, score: start[s]! * end[e]! });
  }
  // numpy's flat order is row-major (s, e): ties keep it.
  const top = cand.sort((a, b) => b.score - a.score || a.s - b.s || a.e - b.e).slice(0, topK);
  const keep = top.filter((c) => allowed[c.s] && allowed[c.e]);
  return { starts: keep.map((c) => c.s), ends: keep.map((c) => c.e), scores: keep.map((c) => c.score) };
}

/**
 * select_starts_ends: masks non-context tokens with -10000, softmaxes start and end, records the null
 * score (p_start[0] × p_end[0]) and zeroes it so [CLS] is never an answer span.
 * https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
 */
export function selectStartsEnds(
  w: QaWindow,
  minNullScore: number,
  topK: number,
  handleImpossibleAnswer: boolean,
  maxAnswerLen: number,
): SpanScores & { minNullScore: number } {
  const S = w.startLogits.length;
  if (w.endLogits.length !== S || w.pMask.length !== S) {
    throw new InputError(
      `question-answering window: start_logits [${S}], end_logits [${w.endLogits.length}] and p_mask [${w.pMask.length}] must have the same length`,
    );
  }
  const allowed = w.pMask.map((p, i) =>
    Math.abs(p - 1) !== 0 && (w.attentionMask ? w.attentionMask[i] !== 0 : true) ? 1 : 0,
  );
  const norm = (logits: ArrayLike<number>) => {
    const x = Array.from({ length: S }, (_, i) => (allowed[i] ? logits[i]! : -10000));
    const max = Math.max(...x);
    const ex = x.map((v) => Math.exp(v - max));
    const sum = ex.reduce((a, b) => a + b, 0);
    return ex.map((v) => v / sum);
  };
  const start = norm(w.startLogits);
  const end = norm(w.endLogits);
  if (handleImpossibleAnswer) minNullScore = Math.min(minNullScore, start[0]! * end[0]!);
  start[0] = 0;
  end[0] = 0;
  return { ...decodeSpans(start, end, topK, maxAnswerLen, allowed), minNullScore };
}

export interface QuestionAnsweringPostprocessArgs {
  context: string;
  windows: readonly QaWindow[];
  topK?: number;
  maxAnswerLen?: number;
  handleImpossibleAnswer?: boolean;
  /** Widen answers to whole words when the windows carry word ids (HF's align_to_words, default true). */
  alignToWords?: boolean;
}

/** Answers across all windows, best first, at most topK (HF returns a single dict when topK is 1). */
export function questionAnsweringPostprocess(a: QuestionAnsweringPostprocessArgs): QuestionAnsweringAnswer[] {
  const topK = a.topK ?? 1;
  const maxAnswerLen = a.maxAnswerLen ?? 15;
  if (!Number.isInteger(topK) || topK < 1)
    throw new InputError(`question-answering topK must be a positive integer, got ${topK}`);
  if (!Number.isInteger(maxAnswerLen) || maxAnswerLen < 1)
    throw new InputError(`question-answering maxAnswerLen must be a positive integer, got ${maxAnswerLen}`);
  let minNullScore = 1000000;
  const answers: QuestionAnsweringAnswer[] = [];
  for (const w of a.windows) {
    const r = selectStartsEnds(w, minNullScore, topK, a.handleImpossibleAnswer ?? false, maxAnswerLen);
    minNullScore = r.minNullScore;
    r.starts.forEach((s, i) => {
      const [start, end] = charSpan(w, s, r.ends[i]!, a.alignToWords ?? true);
      answers.push({ score: r.scores[i]!, start, end, answer: a.context.slice(start, end) });
    });
  }
  if (a.handleImpossibleAnswer) answers.push({ score: minNullScore, start: 0, end: 0, answer: '' });
  return answers.sort((x, y) => y.score - x.score).slice(0, topK);
}

/**
 * get_indices with align_to_words: the characters of the whole words the start and end tokens belong to,
 * or the tokens' own offsets when word ids are unknown.
 * https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
 */
function charSpan(w: QaWindow, s: number, e: number, alignToWords: boolean): [number, number] {
  const sw = w.wordIds?.[s];
  const ew = w.wordIds?.[e];
  if (
    alignToWords &&
    w.wordIds &&
    w.sequenceIds &&
    sw !== null &&
    sw !== undefined &&
    ew !== null &&
    ew !== undefined
  ) {
    const seq = w.sequenceIds[s];
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    w.wordIds.forEach((wid, i) => {
      if (w.sequenceIds?.[i] !== seq) return;
      if (wid === sw) start = Math.min(start, w.offsets[i]![0]);
      if (wid === ew) end = Math.max(end, w.offsets[i]![1]);
    });
    return [start, end];
  }
  return [w.offsets[s]![0], w.offsets[e]![1]];
}
