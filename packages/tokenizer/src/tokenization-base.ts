// The transformers call API shared by AlbertTokenizer (sentencepiece) and AlbertTokenizerFast (tokenizer.json):
// single texts or pairs, batches, truncation (with stride windows), padding, masks, offsets, typed tensors, decoding
// and the special-token helpers. Mirrors transformers' PreTrainedTokenizerBase.__call__ / _batch_encode_plus for the
// tokenizers backend (https://github.com/huggingface/transformers/blob/main/src/transformers/tokenization_utils_base.py)
// and tokenizers' truncate_encodings / pad_encodings (https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/utils/truncation.rs).
import { type BatchEncoding, type IdsOf, type OffsetsOf, toBatchEncoding } from './batch-encoding.js';
import {
  type CallOptions,
  checkCallOptions,
  checkOptionNames,
  resolveStrategies,
  type TruncationStrategy,
} from './call-options.js';
import { TokenizerInputError } from './errors.js';
import { Encoding } from './pipeline/encoding.js';

export interface SpecialTokensMap {
  unk_token: string;
  sep_token: string;
  pad_token: string;
  cls_token: string;
  mask_token: string;
  bos_token?: string;
  eos_token?: string;
}

export const ALBERT_SPECIAL_TOKENS: SpecialTokensMap = {
  unk_token: '<unk>',
  sep_token: '[SEP]',
  pad_token: '<pad>',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
  bos_token: '[CLS]',
  eos_token: '[SEP]',
};

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** transformers' clean_up_tokenization (" ." → ".", " n't" → "n't", …). */
  cleanUpTokenizationSpaces?: boolean;
}

const DECODE_OPTIONS: Record<keyof DecodeOptions, true> = { skipSpecialTokens: true, cleanUpTokenizationSpaces: true };

export interface TokenizerSettings {
  modelMaxLength?: number;
  paddingSide?: 'right' | 'left';
  truncationSide?: 'right' | 'left';
  specialTokens?: Partial<SpecialTokensMap>;
  /** Fields returned by default (transformers 5's AlbertTokenizer: input_ids and attention_mask). */
  modelInputNames?: string[];
  cleanUpTokenizationSpaces?: boolean;
}

/** transformers' clean_up_tokenization. */
export function cleanUpTokenization(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

function truncationError(msg: string): TokenizerInputError {
  return new TokenizerInputError(`Truncation error: ${msg}`);
}

/** tokenizers' truncate_encodings. */
export function truncateEncodings(
  a: Encoding,
  b: Encoding | undefined,
  strategy: TruncationStrategy,
  maxLength: number,
  stride: number,
  direction: 'right' | 'left',
): void {
  if (strategy === 'do_not_truncate') return;
  const total = a.length + (b?.length ?? 0);
  if (total <= maxLength) return;
  const toRemove = total - maxLength;
  if (strategy === 'longest_first') {
    if (b === undefined) {
      a.truncate(total - toRemove, stride, direction);
      return;
    }
    let n1 = a.length;
    let n2 = b.length;
    const swap = n1 > n2;
    if (swap) [n1, n2] = [n2, n1];
    if (n1 > maxLength) n2 = n1;
    else n2 = Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    if (swap) [n1, n2] = [n2, n1];
    a.truncate(n1, stride, direction);
    b.truncate(n2, stride, direction);
    return;
  }
  const target = strategy === 'only_first' ? a : b;
  if (target === undefined) throw truncationError('Second sequence not provided');
  if (target.length > toRemove) target.truncate(target.length - toRemove, stride, direction);
  else
    throw truncationError(
      `Sequence to truncate too short to respect the provided max_length (${strategy}: ${target.length} tokens, ${toRemove} to remove, max_length ${maxLength})`,
    );
}

export abstract class PreTrainedTokenizerBase {
  modelMaxLength: number;
  paddingSide: 'right' | 'left';
  truncationSide: 'right' | 'left';
  readonly specialTokens: SpecialTokensMap;
  modelInputNames: string[];
  cleanUpTokenizationSpaces: boolean;

  constructor(settings: TokenizerSettings = {}) {
    this.modelMaxLength = settings.modelMaxLength ?? 512;
    this.paddingSide = settings.paddingSide ?? 'right';
    this.truncationSide = settings.truncationSide ?? 'right';
    this.specialTokens = { ...ALBERT_SPECIAL_TOKENS, ...settings.specialTokens };
    this.modelInputNames = settings.modelInputNames ?? ['input_ids', 'attention_mask'];
    this.cleanUpTokenizationSpaces = settings.cleanUpTokenizationSpaces ?? false;
  }

  /**
   * Tokens of one text without special tokens added; offsets into that text. `stopAfter` (the max_length when
   * truncating) lets a tokenizer stop early, as the reference does.
   */
  abstract encodeSequence(text: string, typeId: number, splitSpecialTokens: boolean, stopAfter?: number): Encoding;
  /** Adds the special tokens ([CLS] A [SEP] (B [SEP])). */
  abstract postProcess(a: Encoding, b: Encoding | undefined, addSpecialTokens: boolean): Encoding;
  abstract numSpecialTokensToAdd(isPair: boolean): number;
  abstract tokenToId(token: string): number | undefined;
  abstract idToToken(id: number): string | undefined;
  abstract isSpecialId(id: number): boolean;
  protected abstract decodeIds(ids: readonly number[], skipSpecialTokens: boolean): string;
  abstract get vocabSize(): number;
  /** Whether encodeSequence reports offsets. */
  protected abstract get hasOffsets(): boolean;

  private specialId(name: keyof SpecialTokensMap): number | undefined {
    const t = this.specialTokens[name];
    return t === undefined ? undefined : this.tokenToId(t);
  }
  get padTokenId(): number | undefined {
    return this.specialId('pad_token');
  }
  get unkTokenId(): number | undefined {
    return this.specialId('unk_token');
  }
  get clsTokenId(): number | undefined {
    return this.specialId('cls_token');
  }
  get sepTokenId(): number | undefined {
    return this.specialId('sep_token');
  }
  get maskTokenId(): number | undefined {
    return this.specialId('mask_token');
  }
  /** transformers' additional_special_tokens (addSpecialTokens adds to them). */
  readonly additionalSpecialTokens: string[] = [];

  /** The special tokens and additional_special_tokens, without duplicates (transformers' all_special_tokens). */
  get allSpecialTokens(): string[] {
    const named = Object.values(this.specialTokens).filter((t): t is string => typeof t === 'string');
    return [...new Set([...named, ...this.additionalSpecialTokens])];
  }

  /** Tokens of a text (no special tokens added). */
  tokenize(text: string, options: { splitSpecialTokens?: boolean } = {}): string[] {
    return this.encodeSequence(text, 0, options.splitSpecialTokens ?? false).tokens;
  }

  /** input_ids of one text or pair (transformers' encode). */
  encode(text: string, options: CallOptions = {}): number[] {
    // Without options (transformers' defaults: special tokens, no truncation or padding) the ids are those of the
    // post-processed encoding: no BatchEncoding to assemble.
    if (typeof text === 'string' && isEmpty(options))
      return this.postProcess(this.encodeSequence(text, 0, false), undefined, true).ids;
    const r = this.call(text, { ...options, returnTensors: undefined, returnOverflowingTokens: false });
    return r.input_ids as number[];
  }

  /**
   * transformers' `tokenizer(text, text_pair, …)`: a string gives one row (unwrapped arrays), a list a batch.
   * With returnOverflowingTokens the result is always batched, one row per window.
   */
  call<T extends string | string[], O extends CallOptions = Record<never, never>>(
    text: T,
    options?: O,
  ): BatchEncoding<IdsOf<T, O>, OffsetsOf<T, O>>;
  call(text: string | string[], options: CallOptions = {}): BatchEncoding {
    checkCallOptions(options);
    const batched = Array.isArray(text);
    const texts = batched ? text : [text];
    const pairsOpt = options.textPair;
    const pairs = pairsOpt === undefined ? [] : Array.isArray(pairsOpt) ? pairsOpt : [pairsOpt];
    if (pairsOpt !== undefined && Array.isArray(pairsOpt) !== batched)
      throw new TokenizerInputError('textPair must be a string for a single text and a list for a batch of texts');
    if (pairsOpt !== undefined && pairs.length !== texts.length)
      throw new TokenizerInputError(`got ${texts.length} texts but ${pairs.length} text pairs`);
    for (const [i, t] of [...texts, ...pairs].entries())
      if (typeof t !== 'string')
        throw new TokenizerInputError(`input ${i} is ${typeof t} (${String(t).slice(0, 40)}), expected a string`);
    if (options.returnOffsetsMapping && !this.hasOffsets)
      throw new TokenizerInputError(
        `returnOffsetsMapping is not available with ${this.constructor.name}: use AlbertTokenizerFast`,
      );
    const s = resolveStrategies(options, this.modelMaxLength);
    const addSpecial = options.addSpecialTokens ?? true;
    const stride = options.stride ?? 0;
    const split = options.splitSpecialTokens ?? false;
    const encodings = texts.map((t, i) => {
      const pairText = pairs[i];
      const stopAfter =
        s.truncation !== 'do_not_truncate' && s.maxLength !== undefined && options.truncateEarly === true
          ? s.maxLength
          : undefined;
      const a = this.encodeSequence(t, 0, split, stopAfter);
      const b = pairText ? this.encodeSequence(pairText, 1, split, stopAfter) : undefined;
      if (s.truncation !== 'do_not_truncate' && s.maxLength !== undefined) {
        const room = s.maxLength - (addSpecial ? this.numSpecialTokensToAdd(b !== undefined) : 0);
        truncateEncodings(a, b, s.truncation, Math.max(0, room), stride, options.truncationSide ?? this.truncationSide);
      }
      return this.postProcess(a, b, addSpecial);
    });
    if (s.padding !== 'do_not_pad') {
      const padId = this.padTokenId;
      if (padId === undefined)
        throw new TokenizerInputError(
          `padding needs a pad token, and ${JSON.stringify(this.specialTokens.pad_token)} is not in the vocabulary`,
        );
      let target = s.padding === 'max_length' ? s.maxLength! : encodings.reduce((m, e) => Math.max(m, e.length), 0);
      const m = options.padToMultipleOf;
      if (m !== undefined && target % m !== 0) target += m - (target % m);
      for (const e of encodings)
        e.pad(target, padId, 0, this.specialTokens.pad_token, options.paddingSide ?? this.paddingSide);
    }
    const rows: Encoding[] = [];
    const sampleMap: number[] = [];
    encodings.forEach((e, i) => {
      rows.push(e);
      sampleMap.push(i);
      if (options.returnOverflowingTokens)
        for (const o of e.overflowing) {
          rows.push(o);
          sampleMap.push(i);
        }
    });
    const overflow = options.returnOverflowingTokens === true;
    return toBatchEncoding(rows, sampleMap, batched || overflow, {
      tokenTypeIds: options.returnTokenTypeIds ?? this.modelInputNames.includes('token_type_ids'),
      attentionMask: options.returnAttentionMask ?? this.modelInputNames.includes('attention_mask'),
      specialTokensMask: options.returnSpecialTokensMask ?? false,
      offsets: options.returnOffsetsMapping ?? false,
      overflow,
      length: options.returnLength ?? false,
      tensors: options.returnTensors,
    });
  }

  convertIdsToTokens(ids: readonly number[], skipSpecialTokens = false): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (skipSpecialTokens && this.isSpecialId(id)) continue;
      const t = this.idToToken(id);
      if (t === undefined) throw new TokenizerInputError(`id ${id} is outside the vocabulary (size ${this.vocabSize})`);
      out.push(t);
    }
    return out;
  }

  /** Unknown tokens map to the unk id. One token (a string) gives one id, as in Python. */
  convertTokensToIds(tokens: string): number;
  convertTokensToIds(tokens: readonly string[]): number[];
  convertTokensToIds(tokens: string | readonly string[]): number | number[] {
    const one = (t: string) => {
      if (typeof t !== 'string')
        throw new TokenizerInputError(`convertTokensToIds: a token must be a string, got ${typeof t} (${String(t)})`);
      const id = this.tokenToId(t) ?? this.unkTokenId;
      if (id === undefined)
        throw new TokenizerInputError(`token ${JSON.stringify(t)} is not in the vocabulary and there is no unk token`);
      return id;
    };
    if (typeof tokens === 'string') return one(tokens);
    if (!Array.isArray(tokens))
      throw new TokenizerInputError(
        `convertTokensToIds takes a token or a list of tokens, got ${typeof tokens} (${String(tokens).slice(0, 40)})`,
      );
    return tokens.map(one);
  }

  decode(ids: readonly number[] | Int32Array | BigInt64Array, options: DecodeOptions = {}): string {
    checkOptionNames('decode', options, DECODE_OPTIONS);
    const list = Array.from(ids as ArrayLike<number | bigint>, (x) => Number(x));
    for (const id of list)
      if (!Number.isInteger(id) || id < 0 || this.idToToken(id) === undefined)
        throw new TokenizerInputError(`cannot decode id ${id}: outside the vocabulary (size ${this.vocabSize})`);
    const text = this.decodeIds(list, options.skipSpecialTokens ?? false);
    return (options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces) ? cleanUpTokenization(text) : text;
  }

  batchDecode(rows: ReadonlyArray<readonly number[]>, options: DecodeOptions = {}): string[] {
    return rows.map((r) => this.decode(r, options));
  }

  private specialsOf(ids0: readonly number[], ids1?: readonly number[]): Encoding {
    const enc = (ids: readonly number[], typeId: number) =>
      Encoding.fromIds(
        ids,
        ids.map((i) => this.idToToken(i) ?? ''),
        typeId,
      );
    return this.postProcess(enc(ids0, 0), ids1 ? enc(ids1, 1) : undefined, true);
  }

  /** [CLS] A [SEP] or [CLS] A [SEP] B [SEP]. */
  buildInputsWithSpecialTokens(ids0: readonly number[], ids1?: readonly number[]): number[] {
    return this.specialsOf(ids0, ids1).ids;
  }

  /** 1 for the special tokens buildInputsWithSpecialTokens adds (or finds, with alreadyHasSpecialTokens). */
  getSpecialTokensMask(ids0: readonly number[], ids1?: readonly number[], alreadyHasSpecialTokens = false): number[] {
    if (alreadyHasSpecialTokens) {
      if (ids1 !== undefined)
        throw new TokenizerInputError('ids1 must be omitted when the ids already hold special tokens');
      return ids0.map((id) => (this.isSpecialId(id) ? 1 : 0));
    }
    return this.specialsOf(ids0, ids1).specialTokensMask;
  }

  /** 0 for the first sequence and its special tokens, 1 for the second. */
  createTokenTypeIdsFromSequences(ids0: readonly number[], ids1?: readonly number[]): number[] {
    return this.specialsOf(ids0, ids1).typeIds;
  }
}
