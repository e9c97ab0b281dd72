// What the pipelines need from a tokenizer: HF's fast-tokenizer call with offsets, special-token masks,
// sequence ids, pairs, truncation and doc_stride overflow. `fromAlbertTokenizer` (tokenizer-adapter.ts)
// provides it for @albertjs/tokenizer; any object with this shape works (e.g. in a browser bundle).

export interface Encoding {
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
  /** 1 on [CLS] / [SEP] / padding. */
  special_tokens_mask: number[];
  /** [start, end) character offsets into the token's own text (text or text_pair); [0, 0] on special tokens. */
  offsets: [number, number][];
  /** 0 = text, 1 = text_pair, null = special token or padding (HF's `Encoding.sequence_ids`). */
  sequence_ids: (number | null)[];
  /** Word index per token within its sequence (null on special tokens), when the tokenizer knows words. */
  word_ids?: (number | null)[];
}

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

export interface EncodeOptions {
  textPair?: string;
  /** Truncate to maxLength with this strategy; false / absent = no truncation. */
  truncation?: TruncationStrategy | false;
  maxLength?: number;
  /** Overlap, in tokens, between consecutive overflow windows. */
  stride?: number;
  /** Return every window of a truncated input (first one first), as HF's return_overflowing_tokens. */
  returnOverflowingTokens?: boolean;
}

export interface PipelineTokenizer {
  readonly padTokenId: number;
  readonly maskTokenId: number;
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly unkTokenId: number;
  readonly maskToken: string;
  /** One encoding, or one per window with returnOverflowingTokens. Adds [CLS] / [SEP]. */
  encode(text: string, options?: EncodeOptions): Encoding[];
  /** Ids without special tokens. */
  encodeIds(text: string): number[];
  tokenToId(token: string): number | undefined;
  convertIdsToTokens(ids: number[]): string[];
  convertTokensToString(tokens: string[]): string;
  decode(ids: number[], options?: { skipSpecialTokens?: boolean }): string;
}
