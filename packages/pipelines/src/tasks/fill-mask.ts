// fill-mask: AlbertForMaskedLM on texts with [MASK]; FillMaskPipeline in
// https://github.com/huggingface/transformers/blob/main/src/transformers/pipelines/fill_mask.py
import { clip, InputError } from '@albertjs/core';
import { type FillMaskPrediction, fillMaskPostprocess } from '../postprocess/fill-mask.js';
import { asList, TaskPipeline } from './context.js';

export interface FillMaskOptions {
  /** Predictions per mask (default 5). */
  topK?: number;
  /** Only score these words / tokens (HF's `targets`). */
  targets?: string | string[];
}

/** One mask: the ranked predictions; several masks: one ranked list per mask. */
export type FillMaskResult = FillMaskPrediction[] | FillMaskPrediction[][];

export class FillMaskPipeline extends TaskPipeline<'AlbertForMaskedLM'> {
  readonly task = 'fill-mask';
  protected readonly knownOptions: Record<keyof FillMaskOptions, true> = { topK: true, targets: true };

  async run(texts: string, options?: FillMaskOptions): Promise<FillMaskResult>;
  async run(texts: string[], options?: FillMaskOptions): Promise<FillMaskResult[]>;
  async run(texts: string | string[], options: FillMaskOptions = {}): Promise<FillMaskResult | FillMaskResult[]> {
    this.checkOptions(options);
    const { items, single } = asList(texts, (x) => typeof x === 'string');
    const targetIds = options.targets === undefined ? undefined : this.targetIds(options.targets);
    const encs = items.map((t) => {
      const e = this.encodeOne(t);
      if (!e.input_ids.includes(this.tokenizer.maskTokenId)) throw this.noMask(t);
      return e;
    });
    const V = this.config.vocab_size;
    const results = await this.forwardSorted(encs, (out, batch) => {
      const S = out.logits.shape[1]!;
      return batch.map((e, b) => {
        const row = out.logits.data.subarray(b * S * V, b * S * V + e.input_ids.length * V); // [S_b, V]
        const r = fillMaskPostprocess({
          logits: row,
          vocabSize: V,
          inputIds: e.input_ids,
          maskTokenId: this.tokenizer.maskTokenId,
          padTokenId: this.tokenizer.padTokenId,
          topK: options.topK ?? 5,
          ...(targetIds ? { targetIds } : {}),
          decode: (ids, o) => this.tokenizer.decode(ids, o),
        });
        return r.length === 1 ? r[0]! : r;
      });
    });
    return single ? results[0]! : results;
  }

  /**
   * Why a text has no mask after encoding: it has none, or truncation to the model's max length cut it off (HF's
   * pipeline would then raise "No mask_token found"; here the message says where the mask was and the limit).
   */
  private noMask(text: string): InputError {
    const mask = this.tokenizer.maskToken;
    const [full] = this.tokenizer.encode(text, { truncation: false });
    const at = full?.input_ids.indexOf(this.tokenizer.maskTokenId) ?? -1;
    if (full && at >= 0) {
      return new InputError(
        `fill-mask: ${mask} is token ${at} of ${full.input_ids.length} in ${JSON.stringify(clip(text, 60))}, but the model reads at most ${this.ctx.maxLength} tokens (max_position_embeddings) and truncation dropped it: shorten the text or move ${mask} into its first ${this.ctx.maxLength - 1} tokens`,
      );
    }
    return new InputError(`fill-mask: no ${mask} in ${JSON.stringify(clip(text, 60))}`);
  }

  /** get_target_ids: a vocabulary entry as is, otherwise the first piece of the tokenized target. */
  private targetIds(targets: string | string[]): number[] {
    const list = Array.isArray(targets) ? targets : [targets];
    const ids = new Set<number>();
    for (const t of list) {
      const id = this.tokenizer.tokenToId(t) ?? this.tokenizer.encodeIds(t)[0];
      if (id !== undefined) ids.add(id);
    }
    if (ids.size === 0)
      throw new InputError(`fill-mask: none of the targets ${JSON.stringify(list)} maps to a vocabulary id`);
    return [...ids];
  }
}
