// Options of the transformers call API (`tokenizer(text, text_pair, padding=…, truncation=…)`) and the resolution of
// padding / truncation strategies, as transformers' PreTrainedTokenizerBase._get_padding_truncation_strategies does
// (https://github.com/huggingface/transformers/blob/main/src/transformers/tokenization_utils_base.py).
import { TokenizerInputError } from './errors.js';

export type PaddingOption = boolean | 'longest' | 'max_length' | 'do_not_pad';
export type TruncationOption = boolean | 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
export type PaddingStrategy = 'longest' | 'max_length' | 'do_not_pad';

export interface CallOptions {
  /** Second sequence(s) of pairs; an empty string counts as no pair, as in transformers. */
  textPair?: string | string[];
  addSpecialTokens?: boolean;
  padding?: PaddingOption;
  truncation?: TruncationOption;
  maxLength?: number;
  stride?: number;
  padToMultipleOf?: number;
  paddingSide?: 'right' | 'left';
  truncationSide?: 'right' | 'left';
  returnTokenTypeIds?: boolean;
  returnAttentionMask?: boolean;
  returnOverflowingTokens?: boolean;
  returnSpecialTokensMask?: boolean;
  returnOffsetsMapping?: boolean;
  returnLength?: boolean;
  /** 'int64' → BigInt64Array tensors, 'int32' → Int32Array tensors (with shape); default plain arrays. */
  returnTensors?: 'int64' | 'int32';
  /** Do not split special tokens out of the text (transformers' split_special_tokens). */
  splitSpecialTokens?: boolean;
  /**
   * Opt-in bit-compatibility with tokenizers 0.23.1–0.23.2 (what transformers 5.17 runs): when truncating, stop
   * tokenizing a text once it has maxLength tokens (huggingface/tokenizers#2091, fixed by PR #2098). longest_first
   * then splits a pair by the stopped lengths, and overflow windows cover only the start of the text. Default false:
   * complete windows, as transformers 4.x and tokenizers ≤ 0.22 give (every token of the text lies in a window,
   * consecutive windows overlap by `stride` tokens).
   */
  truncateEarly?: boolean;
}

/** Every CallOptions name (the compiler keeps this complete). */
const CALL_OPTIONS: Record<keyof CallOptions, true> = {
  textPair: true,
  addSpecialTokens: true,
  padding: true,
  truncation: true,
  maxLength: true,
  stride: true,
  padToMultipleOf: true,
  paddingSide: true,
  truncationSide: true,
  returnTokenTypeIds: true,
  returnAttentionMask: true,
  returnOverflowingTokens: true,
  returnSpecialTokensMask: true,
  returnOffsetsMapping: true,
  returnLength: true,
  returnTensors: true,
  splitSpecialTokens: true,
  truncateEarly: true,
};

/**
 * An option `where` does not know is an error naming it and, for Python's snake_case spelling, the camelCase one
 * ("unknown option max_length — did you mean maxLength?"), as @albertjs/core's checkOptions does (this package
 * stands alone).
 */
export function checkOptionNames(where: string, options: object, known: Readonly<Record<string, true>>): void {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    const camel = name.replace(/[_-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
    const hint = Object.hasOwn(known, camel)
      ? ` — did you mean ${camel}?`
      : ` (known: ${Object.keys(known).join(', ')})`;
    throw new TokenizerInputError(`${where}: unknown option ${name}${hint}`);
  }
}

/** Throws for an option the tokenizer call does not know (`return_tensors`, `max_length`, typos). */
export function checkCallOptions(options: CallOptions): void {
  checkOptionNames('tokenizer call', options, CALL_OPTIONS);
}

export interface ResolvedStrategies {
  padding: PaddingStrategy;
  truncation: TruncationStrategy;
  maxLength: number | undefined;
}

export function resolveStrategies(o: CallOptions, modelMaxLength: number): ResolvedStrategies {
  const padding: PaddingStrategy =
    o.padding === true ? 'longest' : o.padding === false || o.padding === undefined ? 'do_not_pad' : o.padding;
  let truncation: TruncationStrategy =
    o.truncation === true
      ? 'longest_first'
      : o.truncation === false || o.truncation === undefined
        ? 'do_not_truncate'
        : o.truncation;
  // transformers: a max_length without padding or truncation means truncation='longest_first'.
  if (o.maxLength !== undefined && o.padding === undefined && o.truncation === undefined) truncation = 'longest_first';
  for (const [name, v, ok] of [
    ['padding', padding, ['longest', 'max_length', 'do_not_pad']],
    ['truncation', truncation, ['longest_first', 'only_first', 'only_second', 'do_not_truncate']],
  ] as const)
    if (!(ok as readonly string[]).includes(v))
      throw new TokenizerInputError(`${name} ${JSON.stringify(v)} is not one of ${ok.join(', ')}`);
  let maxLength = o.maxLength;
  if (maxLength === undefined) {
    if (padding === 'max_length' || truncation !== 'do_not_truncate') maxLength = modelMaxLength;
  }
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0))
    throw new TokenizerInputError(`maxLength must be a non-negative integer, got ${maxLength}`);
  const stride = o.stride ?? 0;
  if (!Number.isInteger(stride) || stride < 0)
    throw new TokenizerInputError(`stride must be a non-negative integer, got ${stride}`);
  if (o.padToMultipleOf !== undefined && (!Number.isInteger(o.padToMultipleOf) || o.padToMultipleOf <= 0))
    throw new TokenizerInputError(`padToMultipleOf must be a positive integer, got ${o.padToMultipleOf}`);
  return { padding, truncation, maxLength };
}
