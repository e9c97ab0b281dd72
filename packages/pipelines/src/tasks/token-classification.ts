// token-classification (NER): AlbertForTokenClassification with character offsets into the input text;
// TokenClassificationPipeline in https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/token_classification.py
import { runSorted } from '../batch.js';
import {
  type AggregationStrategy,
  type GroupedEntity,
  type TokenEntity,
  tokenClassificationPostprocess,
} from '../postprocess/token-classification.js';
import { asList, TaskPipeline } from './context.js';

export interface TokenClassificationOptions {
  /** Default 'none' (one entry per token), as HF. */
  aggregationStrategy?: AggregationStrategy;
  /** Labels left out of the result (default ['O']). */
  ignoreLabels?: string[];
}

export type TokenClassificationResult = TokenEntity[] | GroupedEntity[];

export class TokenClassificationPipeline extends TaskPipeline<'AlbertForTokenClassification'> {
  readonly task = 'token-classification';
  protected readonly knownOptions: Record<keyof TokenClassificationOptions, true> = {
    aggregationStrategy: true,
    ignoreLabels: true,
  };

  async run(texts: string, options?: TokenClassificationOptions): Promise<TokenClassificationResult>;
  async run(texts: string[], options?: TokenClassificationOptions): Promise<TokenClassificationResult[]>;
  async run(
    texts: string | string[],
    options: TokenClassificationOptions = {},
  ): Promise<TokenClassificationResult | TokenClassificationResult[]> {
    this.checkOptions(options);
    const { items, single } = asList(texts, (x) => typeof x === 'string');
    const encs = items.map((text) => ({ text, enc: this.encodeOne(text) }));
    const L = this.config.num_labels;
    const results = await runSorted(
      encs,
      (e) => e.enc.input_ids.length,
      this.ctx.batchSize,
      async (batch) => {
        const out = await this.forwardRows(batch.map((b) => b.enc));
        const S = out.logits.shape[1]!;
        return batch.map(({ text, enc }, b) =>
          tokenClassificationPostprocess({
            sentence: text,
            logits: out.logits.data.subarray(b * S * L, b * S * L + enc.input_ids.length * L), // [S_b, L]
            inputIds: enc.input_ids,
            offsets: enc.offsets,
            specialTokensMask: enc.special_tokens_mask,
            id2label: this.config.id2label,
            aggregationStrategy: options.aggregationStrategy ?? 'none',
            ignoreLabels: options.ignoreLabels ?? ['O'],
            unkTokenId: this.tokenizer.unkTokenId,
            convertIdsToTokens: (ids) => this.tokenizer.convertIdsToTokens(ids),
            convertTokensToString: (t) => this.tokenizer.convertTokensToString(t),
          }),
        );
      },
    );
    return single ? results[0]! : results;
  }
}
