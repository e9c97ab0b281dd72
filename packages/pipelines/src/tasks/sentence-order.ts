// sentence-order: AlbertForPreTraining's SOP head on (first, second) segment pairs; label 0 = in order,
// 1 = swapped, as AlbertForPreTraining's `sentence_order_label`:
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py
import { InputError } from '@albertjs/core';
import { type SentenceOrderResult, sentenceOrderPostprocess } from '../postprocess/sentence-order.js';
import { asList, TaskPipeline } from './context.js';

export type SentenceOrderInput = { text: string; text_pair: string } | [string, string];

export class SentenceOrderPipeline extends TaskPipeline<'AlbertForPreTraining'> {
  readonly task = 'sentence-order';
  protected readonly knownOptions = {};

  async run(inputs: SentenceOrderInput, options?: Record<string, never>): Promise<SentenceOrderResult>;
  async run(inputs: SentenceOrderInput[], options?: Record<string, never>): Promise<SentenceOrderResult[]>;
  async run(
    inputs: SentenceOrderInput | SentenceOrderInput[],
    options?: Record<string, never>,
  ): Promise<SentenceOrderResult | SentenceOrderResult[]> {
    this.checkOptions(options);
    const isPair = (x: unknown) =>
      (Array.isArray(x) && x.length === 2 && x.every((s) => typeof s === 'string')) ||
      (typeof x === 'object' && x !== null && !Array.isArray(x));
    const { items, single } = asList(inputs, isPair);
    const encs = items.map((x, i) => {
      const [a, b] = Array.isArray(x) ? x : [x?.text, x?.text_pair];
      if (typeof a !== 'string' || typeof b !== 'string')
        throw new InputError(
          `sentence-order input ${i} must be [first, second] or { text, text_pair }, got ${JSON.stringify(x)}`,
        );
      return this.encodeOne(a, { textPair: b });
    });
    const results = await this.forwardSorted(encs, (out, batch) => {
      return batch.map((_, b) => sentenceOrderPostprocess(out.sop_logits.data.subarray(2 * b, 2 * b + 2)));
    });
    return single ? results[0]! : results;
  }
}
