// question-answering: AlbertForQuestionAnswering over doc_stride windows of the context (the tokenizer's
// overflow API), HF's start×end span scoring; QuestionAnsweringPipeline.preprocess / postprocess in
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/question_answering.py
import { InputError } from '@albertjs/core';
import { runSorted } from '../batch.js';
import {
  type QaWindow,
  type QuestionAnsweringAnswer,
  questionAnsweringPostprocess,
} from '../postprocess/question-answering.js';
import type { Encoding } from '../tokenizer.js';
import { asList, TaskPipeline } from './context.js';

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

export interface QuestionAnsweringOptions {
  /** Answers to return (default 1: a single answer object, as HF). */
  topK?: number;
  /** Longest answer in tokens (default 15). */
  maxAnswerLen?: number;
  /** Tokens per window, question included (default min(max_position_embeddings, 384)). */
  maxSeqLen?: number;
  /** Overlap of consecutive windows in tokens (default min(maxSeqLen / 2, 128)). */
  docStride?: number;
  /** Also consider the empty answer, scored p_start[CLS] × p_end[CLS] (default false). */
  handleImpossibleAnswer?: boolean;
  /** Widen answers to whole words (default true, as HF's align_to_words). */
  alignToWords?: boolean;
}

export type QuestionAnsweringResult = QuestionAnsweringAnswer | QuestionAnsweringAnswer[];

interface WindowItem {
  input: number;
  enc: Encoding;
}

export class QuestionAnsweringPipeline extends TaskPipeline<'AlbertForQuestionAnswering'> {
  readonly task = 'question-answering';
  protected readonly knownOptions: Record<keyof QuestionAnsweringOptions, true> = {
    topK: true,
    maxAnswerLen: true,
    maxSeqLen: true,
    docStride: true,
    handleImpossibleAnswer: true,
    alignToWords: true,
  };

  async run(inputs: QuestionAnsweringInput, options?: QuestionAnsweringOptions): Promise<QuestionAnsweringResult>;
  async run(inputs: QuestionAnsweringInput[], options?: QuestionAnsweringOptions): Promise<QuestionAnsweringResult[]>;
  async run(
    inputs: QuestionAnsweringInput | QuestionAnsweringInput[],
    options: QuestionAnsweringOptions = {},
  ): Promise<QuestionAnsweringResult | QuestionAnsweringResult[]> {
    this.checkOptions(options);
    const { items, single } = asList(inputs, (x) => !Array.isArray(x));
    const maxSeqLen = options.maxSeqLen ?? Math.min(this.ctx.maxLength, 384);
    if (maxSeqLen > this.ctx.maxLength)
      throw new InputError(
        `question-answering maxSeqLen ${maxSeqLen} exceeds the model's ${this.ctx.maxLength} positions`,
      );
    const docStride = options.docStride ?? Math.min(Math.floor(maxSeqLen / 2), 128);
    if (docStride > maxSeqLen)
      throw new InputError(`question-answering docStride ${docStride} exceeds maxSeqLen ${maxSeqLen}`);
    const windows: WindowItem[] = items.flatMap((x, input) => {
      for (const k of ['question', 'context'] as const) {
        if (typeof x?.[k] !== 'string' || x[k].length === 0)
          throw new InputError(
            `question-answering input ${input}: \`${k}\` must be a non-empty string, got ${JSON.stringify(x?.[k])}`,
          );
      }
      const encs = this.tokenizer.encode(x.question, {
        textPair: x.context,
        truncation: 'only_second',
        maxLength: maxSeqLen,
        stride: docStride,
        returnOverflowingTokens: true,
      });
      return encs.map((enc) => ({ input, enc }));
    });
    const qaWindows = await runSorted(
      windows,
      (w) => w.enc.input_ids.length,
      this.ctx.batchSize,
      async (batch) => {
        const out = await this.forwardRows(batch.map((w) => w.enc));
        const S = out.start_logits.shape[1]!;
        return batch.map(({ enc }, b): QaWindow => {
          const n = enc.input_ids.length;
          // p_mask: 1 off the context (question, separators), except [CLS], which stands for "no answer"
          const pMask = enc.sequence_ids.map((s, i) =>
            s !== 1 && enc.input_ids[i] !== this.tokenizer.clsTokenId ? 1 : 0,
          );
          return {
            startLogits: out.start_logits.data.subarray(b * S, b * S + n),
            endLogits: out.end_logits.data.subarray(b * S, b * S + n),
            pMask,
            attentionMask: enc.attention_mask,
            offsets: enc.offsets,
            sequenceIds: enc.sequence_ids,
            ...(enc.word_ids ? { wordIds: enc.word_ids } : {}),
          };
        });
      },
    );
    const results = items.map((x, input) => {
      const answers = questionAnsweringPostprocess({
        context: x.context,
        windows: qaWindows.filter((_, i) => windows[i]!.input === input),
        topK: options.topK ?? 1,
        maxAnswerLen: options.maxAnswerLen ?? 15,
        handleImpossibleAnswer: options.handleImpossibleAnswer ?? false,
        alignToWords: options.alignToWords ?? true,
      });
      return answers.length === 1 ? answers[0]! : answers;
    });
    return single ? results[0]! : results;
  }
}
