// text-classification: AlbertForSequenceClassification on texts or text pairs; TextClassificationPipeline in
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/text_classification.py
import { InputError } from '@albertjs/core';
import {
  type ClassificationFunction,
  defaultClassificationFunction,
  type LabelScore,
  textClassificationPostprocess,
} from '../postprocess/text-classification.js';
import { asList, TaskPipeline } from './context.js';

export type TextClassificationInput = string | { text: string; text_pair?: string };

export interface TextClassificationOptions {
  /** Labels per input, best first (default 1); null = all labels. */
  topK?: number | null;
  /** Default: HF's rule (sigmoid for multi-label or one label, softmax otherwise). */
  functionToApply?: ClassificationFunction;
}

export class TextClassificationPipeline extends TaskPipeline<'AlbertForSequenceClassification'> {
  readonly task = 'text-classification';
  protected readonly knownOptions: Record<keyof TextClassificationOptions, true> = {
    topK: true,
    functionToApply: true,
  };

  async run(inputs: TextClassificationInput, options?: TextClassificationOptions): Promise<LabelScore[]>;
  async run(inputs: TextClassificationInput[], options?: TextClassificationOptions): Promise<LabelScore[][]>;
  async run(
    inputs: TextClassificationInput | TextClassificationInput[],
    options: TextClassificationOptions = {},
  ): Promise<LabelScore[] | LabelScore[][]> {
    this.checkOptions(options);
    const { items, single } = asList(inputs, (x) => !Array.isArray(x));
    const fn =
      options.functionToApply ?? defaultClassificationFunction(this.config.problem_type, this.config.num_labels);
    const encs = items.map((x) => {
      if (typeof x === 'string') return this.encodeOne(x);
      if (typeof x !== 'object' || x === null || typeof x.text !== 'string')
        throw new InputError(
          `text-classification input must be a string or { text, text_pair }, got ${JSON.stringify(x)}`,
        );
      return this.encodeOne(x.text, x.text_pair === undefined ? {} : { textPair: x.text_pair });
    });
    const L = this.config.num_labels;
    const results = await this.forwardSorted(encs, (out, batch) => {
      return batch.map((_, b) =>
        textClassificationPostprocess({
          logits: out.logits.data.subarray(b * L, (b + 1) * L),
          id2label: this.config.id2label,
          functionToApply: fn,
          topK: options.topK === undefined ? 1 : options.topK,
        }),
      );
    });
    return single ? results[0]! : results;
  }
}
