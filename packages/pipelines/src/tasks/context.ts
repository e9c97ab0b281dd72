// What every task pipeline holds: the loaded model, its config, the tokenizer and the batching limits.
import {
  type AlbertConfig,
  type AlbertModelHandle,
  checkOptions,
  clip,
  type HeadName,
  type HeadOutputs,
  InputError,
} from '@albertjs/core';
import { padRows, type RowEncoding, runSorted } from '../batch.js';
import type { EncodeOptions, Encoding, PipelineTokenizer } from '../tokenizer.js';

export interface TaskContext<H extends HeadName> {
  model: AlbertModelHandle<H>;
  config: AlbertConfig;
  tokenizer: PipelineTokenizer;
  /** Inputs per forward call (default 8). */
  batchSize: number;
  /** Longest sequence fed to the model: min(config.max_position_embeddings, the caller's maxLength). */
  maxLength: number;
}

/**
 * A task pipeline is callable, as transformers.js pipelines are: `await fill('… [MASK] …', { topK: 3 })` is
 * `await fill.run('… [MASK] …', { topK: 3 })`. pipeline() returns this type.
 */
export type Callable<P extends { run: unknown }> = P & P['run'];

export abstract class TaskPipeline<H extends HeadName> {
  declare readonly ctx: TaskContext<H>;
  /** The options `run` accepts (an unknown one is an InputError naming it and its camelCase spelling). */
  protected abstract readonly knownOptions: Readonly<Record<string, true>>;

  constructor(ctx: TaskContext<H>) {
    // The instance is a function whose prototype is the pipeline class (transformers.js' Callable), so that
    // `pipe(x)` runs `pipe.run(x)` and `pipe instanceof FillMaskPipeline` still holds.
    const self = Object.setPrototypeOf(
      (...args: unknown[]) => (self as unknown as { run(...a: unknown[]): unknown }).run(...args),
      new.target.prototype,
    ) as this;
    Object.defineProperty(self, 'ctx', { value: ctx, enumerable: true });
    // biome-ignore lint/correctness/noConstructorReturn: a callable instance, as transformers.js' Callable
    return self;
  }
  get model(): AlbertModelHandle<H> {
    return this.ctx.model;
  }
  get config(): AlbertConfig {
    return this.ctx.config;
  }
  get tokenizer(): PipelineTokenizer {
    return this.ctx.tokenizer;
  }
  dispose(): void {
    this.ctx.model.dispose();
  }

  /** Throws an InputError for an option `run` does not know (`top_k` → "did you mean topK?"). */
  protected checkOptions(options: unknown): void {
    checkOptions(`${(this as unknown as { task: string }).task} pipeline`, options, this.knownOptions);
  }

  /** Tokenizes one text (or pair), truncated to the model's length. */
  protected encodeOne(text: string, options: EncodeOptions = {}): Encoding {
    if (typeof text !== 'string') throw new InputError(`expected a string input, got ${typeof text}`);
    const [enc] = this.tokenizer.encode(text, {
      truncation: 'longest_first',
      maxLength: this.ctx.maxLength,
      ...options,
    });
    if (!enc) throw new InputError(`the tokenizer returned no encoding for ${JSON.stringify(clip(text, 60))}`);
    return enc;
  }

  /** One forward pass over right-padded rows ([B, S] inputs). */
  protected forwardRows(rows: readonly RowEncoding[]): Promise<HeadOutputs[H]> {
    const p = padRows(rows, this.tokenizer.padTokenId);
    return this.model.forward({
      input_ids: p.input_ids,
      attention_mask: p.attention_mask,
      token_type_ids: p.token_type_ids,
    });
  }

  /**
   * Forward passes over `encs` in length-sorted batches of `ctx.batchSize`; `read` turns one batch's output into
   * one result per encoding of that batch. Results come back in the order of `encs`.
   */
  protected forwardSorted<E extends RowEncoding, R>(
    encs: readonly E[],
    read: (out: HeadOutputs[H], batch: E[]) => R[],
  ): Promise<R[]> {
    return runSorted(
      encs,
      (e) => e.input_ids.length,
      this.ctx.batchSize,
      async (batch) => read(await this.forwardRows(batch), batch),
    );
  }
}

/** `x` or `[x]`, remembering which. */
export function asList<T>(input: T | T[], isItem: (x: unknown) => boolean): { items: T[]; single: boolean } {
  if (Array.isArray(input) && !isItem(input)) return { items: input, single: false };
  return { items: [input as T], single: true };
}
