// multiple-choice: AlbertForMultipleChoice scores (prompt, choice) pairs, input_ids [B, num_choices, S].
import { InputError } from '@albertjs/core';
import { padRows, runSorted } from '../batch.js';
import { type ChoiceScore, multipleChoicePostprocess } from '../postprocess/multiple-choice.js';
import type { Encoding } from '../tokenizer.js';
import { asList, TaskPipeline } from './context.js';

export interface MultipleChoiceInput {
  /** The prompt / question every choice continues or answers. */
  question: string;
  choices: string[];
}

export interface MultipleChoiceOptions {
  /** Choices to return, best first (default all). */
  topK?: number | null;
}

export class MultipleChoicePipeline extends TaskPipeline<'AlbertForMultipleChoice'> {
  readonly task = 'multiple-choice';
  protected readonly knownOptions: Record<keyof MultipleChoiceOptions, true> = { topK: true };

  async run(inputs: MultipleChoiceInput, options?: MultipleChoiceOptions): Promise<ChoiceScore[]>;
  async run(inputs: MultipleChoiceInput[], options?: MultipleChoiceOptions): Promise<ChoiceScore[][]>;
  async run(
    inputs: MultipleChoiceInput | MultipleChoiceInput[],
    options: MultipleChoiceOptions = {},
  ): Promise<ChoiceScore[] | ChoiceScore[][]> {
    this.checkOptions(options);
    const { items, single } = asList(inputs, (x) => !Array.isArray(x));
    const encoded = items.map((x, i) => {
      if (typeof x?.question !== 'string' || !Array.isArray(x.choices) || x.choices.length === 0) {
        throw new InputError(
          `multiple-choice input ${i} must be { question: string, choices: string[] (non-empty) }, got ${JSON.stringify(x)}`,
        );
      }
      return { x, encs: x.choices.map((c) => this.encodeOne(x.question, { textPair: c })) };
    });
    // Questions with the same number of choices share batches; the rest run separately.
    const out = new Array<ChoiceScore[]>(items.length);
    for (const C of new Set(encoded.map((e) => e.encs.length))) {
      const idx = encoded.map((_, i) => i).filter((i) => encoded[i]!.encs.length === C);
      const res = await runSorted(
        idx,
        (i) => longest(encoded[i]!.encs),
        this.ctx.batchSize,
        async (batch) => {
          const S = Math.max(...batch.map((i) => longest(encoded[i]!.encs)));
          const rows = batch.map((i) => padRows(encoded[i]!.encs, this.tokenizer.padTokenId, S)); // each [C, S]
          const r = await this.model.forward({
            input_ids: rows.map((p) => p.input_ids), // [B, C, S]
            attention_mask: rows.map((p) => p.attention_mask),
            token_type_ids: rows.map((p) => p.token_type_ids),
          });
          return batch.map((i, b) =>
            multipleChoicePostprocess({
              logits: r.logits.data.subarray(b * C, (b + 1) * C),
              choices: encoded[i]!.x.choices,
              topK: options.topK ?? null,
            }),
          );
        },
      );
      idx.forEach((i, k) => {
        out[i] = res[k]!;
      });
    }
    return single ? out[0]! : out;
  }
}

function longest(encs: Encoding[]): number {
  return Math.max(...encs.map((e) => e.input_ids.length));
}
