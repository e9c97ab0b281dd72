// AlbertTokenizerFast: runs a tokenizer.json (tokenizers semantics: offsets through every normalizer) behind the
// transformers call API. https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/tokenization_albert.py
import { type HubOptions, splitHubOptions } from '@albertjs/core';
import {
  type AddedTokenInit,
  addedTokensDecoder,
  addedTokensJson,
  additionalSpecialTokensOf,
  addSpecialTokensWith,
  lengthWithAdded,
  newAddedTokens,
  parseAddedTokensDecoder,
} from './added-tokens.js';
import { type AlbertConfig, mergeConfigOptions, parseTokenizerConfig } from './config.js';
import { albertTokenizerJson, transformersV5Json } from './converters.js';
import { TokenizerFileError, withSource } from './errors.js';
import { loadTokenizerFiles, type TokenizerFiles, writeFiles } from './files.js';
import { type AddedToken, AddedVocabulary } from './pipeline/added-vocabulary.js';
import type { Encoding } from './pipeline/encoding.js';
import { type ScoreReading, TokenizerPipeline } from './pipeline/tokenizer-json.js';
import { SentencePieceProcessor } from './sentencepiece/processor.js';
import { PreTrainedTokenizerBase, type TokenizerSettings } from './tokenization-base.js';

export interface AlbertTokenizerFastOptions extends TokenizerSettings {
  /**
   * 'tokenizer.json' (default) runs the file as written, as the `tokenizers` library and transformers 4 do;
   * 'transformers-v5' runs the pipeline transformers 5 rebuilds from it (WhitespaceSplit before Metaspace, no final
   * space collapsing, <unk> as an added token).
   */
  pipeline?: 'tokenizer.json' | 'transformers-v5';
  /**
   * In the 'tokenizer.json' pipeline (default true): the mask token is `AddedToken(mask_token, lstrip=True,
   * rstrip=False, normalized=False)`, as transformers' AlbertTokenizerFast.__init__ sets it over the file's flags, so
   * `of [MASK]` gives `▁of [MASK]` (the slow tokenizer and transformers 5 agree). false runs the file's added tokens
   * as written, as the `tokenizers` library alone does (`▁of ▁ [MASK]` when the file says lstrip false).
   */
  maskTokenLstrip?: boolean;
  doLowerCase?: boolean;
  keepAccents?: boolean;
  removeSpace?: boolean;
}

export class AlbertTokenizerFast extends PreTrainedTokenizerBase {
  constructor(
    readonly pipeline: TokenizerPipeline,
    settings: TokenizerSettings = {},
    /** spiece.model bytes, when known (saveVocabulary writes them). */
    readonly spiece?: Uint8Array,
    private readonly config: Record<string, unknown> = {},
  ) {
    super(settings);
  }

  /**
   * From the text or parsed object of a tokenizer.json. `scores` 'exact' keeps the vocabulary scores as given (a
   * tokenizer built in memory); the default reads them as tokenizers' serde_json does (TokenizerPipeline.fromJSON).
   */
  static fromTokenizerJson(
    json: string | object,
    options: AlbertTokenizerFastOptions = {},
    spiece?: Uint8Array,
    scores: ScoreReading = 'serde_json',
  ): AlbertTokenizerFast {
    let o: unknown = json;
    if (typeof json === 'string') {
      try {
        o = JSON.parse(json);
      } catch (e) {
        throw new TokenizerFileError(`tokenizer.json is not valid JSON: ${(e as Error).message}`, { cause: e });
      }
    }
    if (options.pipeline === 'transformers-v5')
      o = transformersV5Json(o as Record<string, unknown>, options.specialTokens?.unk_token);
    let pipeline = TokenizerPipeline.fromJSON(o, 'tokenizer.json', scores);
    // transformers' AlbertTokenizerFast.__init__: AddedToken(mask_token, lstrip=True, rstrip=False, normalized=False)
    // re-added over the file's flags (tokenizers' add_tokens updates them).
    // https://github.com/huggingface/transformers/blob/v4.57.0/src/transformers/models/albert/tokenization_albert_fast.py
    if (options.pipeline !== 'transformers-v5' && options.maskTokenLstrip !== false)
      pipeline = pipeline.withAddedTokenFlags(options.specialTokens?.mask_token ?? '[MASK]', {
        single_word: false,
        lstrip: true,
        rstrip: false,
        normalized: false,
        special: true,
      });
    return new AlbertTokenizerFast(pipeline, options, spiece, {
      do_lower_case: options.doLowerCase,
      keep_accents: options.keepAccents,
      remove_space: options.removeSpace,
    });
  }

  /** Converts a spiece.model as transformers' AlbertConverter does. */
  static fromSentencePiece(spiece: Uint8Array, options: AlbertTokenizerFastOptions = {}): AlbertTokenizerFast {
    const sp = new SentencePieceProcessor(spiece);
    const json = albertTokenizerJson(sp, {
      doLowerCase: options.doLowerCase ?? true,
      keepAccents: options.keepAccents ?? false,
    });
    // transformers converts in memory (no JSON text in between): the scores are the model's float32 values.
    return AlbertTokenizerFast.fromTokenizerJson(json, options, spiece, 'exact');
  }

  /** From the files of a tokenizer folder (tokenizer.json preferred, else spiece.model), honouring tokenizer_config.json. */
  static fromFiles(files: TokenizerFiles, options: AlbertTokenizerFastOptions = {}): AlbertTokenizerFast {
    const cfg: AlbertConfig = parseTokenizerConfig(files['tokenizer_config.json'], files['special_tokens_map.json']);
    const merged = mergeConfigOptions(cfg, options);
    let tok: AlbertTokenizerFast;
    if (files['tokenizer.json'] !== undefined)
      tok = AlbertTokenizerFast.fromTokenizerJson(files['tokenizer.json'], merged, files['spiece.model']);
    else if (files['spiece.model'] !== undefined)
      tok = AlbertTokenizerFast.fromSentencePiece(files['spiece.model'], merged);
    else throw new TokenizerFileError('the tokenizer folder has neither tokenizer.json nor spiece.model');
    Object.assign(tok.config, cfg.raw);
    // tokens transformers' add_tokens put in added_tokens_decoder (a folder with spiece.model and no tokenizer.json)
    const saved = parseAddedTokensDecoder(cfg.raw.added_tokens_decoder);
    const known = tok.pipeline.addedVocabulary.byContent;
    tok.withAddedTokens(
      saved.filter((t) => !known.has(t.content) && tok.pipeline.model.tokenToIdOf(t.content) !== t.id),
    );
    tok.additionalSpecialTokens.push(...additionalSpecialTokensOf(cfg.raw));
    return tok;
  }

  /**
   * transformers' `AlbertTokenizerFast.from_pretrained`: a folder, a Hugging Face cache folder, a URL, or a Hub
   * repo id (`albert/albert-base-v2`, downloaded through @albertjs/core's Hub client: revision, token,
   * localFilesOnly / HF_HUB_OFFLINE, cacheDir, endpoint / HF_ENDPOINT).
   */
  static async fromPretrained(
    idOrPath: string,
    options: AlbertTokenizerFastOptions & HubOptions = {},
  ): Promise<AlbertTokenizerFast> {
    const [hub, rest] = splitHubOptions(options);
    const { files, where } = await loadTokenizerFiles(idOrPath, hub);
    return withSource(where, () => AlbertTokenizerFast.fromFiles(files, rest));
  }

  get vocabSize(): number {
    return this.pipeline.model.vocabSize;
  }

  /** `len(tokenizer)`: the vocabulary with the added tokens beyond it. */
  get length(): number {
    return lengthWithAdded(this.vocabSize, this.pipeline.addedVocabulary.tokens);
  }

  private withAddedTokens(tokens: AddedToken[]): void {
    if (!tokens.length) return;
    const av = this.pipeline.addedVocabulary;
    this.pipeline.addedVocabulary = new AddedVocabulary([...av.tokens, ...tokens], this.pipeline.normalizer);
    this.pipeline.addedVocabulary.encodeSpecialTokens = av.encodeSpecialTokens;
  }

  /**
   * transformers' `add_tokens`: strings or AddedToken fields (single_word, lstrip, rstrip, normalized, special);
   * new ids follow the vocabulary (a token that is already a piece keeps its id). Returns how many were added.
   * Resize the model to `length` (core's resizeTokenEmbeddings) to give them embeddings.
   */
  addTokens(tokens: ReadonlyArray<string | AddedTokenInit>, specialTokens = false): number {
    const fresh = newAddedTokens(tokens, specialTokens, this.pipeline.addedVocabulary.byContent, this.vocabSize, (c) =>
      this.pipeline.model.tokenToIdOf(c),
    );
    this.withAddedTokens(fresh);
    return fresh.length;
  }

  /** transformers' `add_special_tokens({additional_special_tokens: [...]})`: special added tokens (never split, skipped by decode). */
  addSpecialTokens(map: { additional_special_tokens: ReadonlyArray<string | AddedTokenInit> }): number {
    return addSpecialTokensWith(map, (t, special) => this.addTokens(t, special), this.additionalSpecialTokens);
  }
  protected get hasOffsets(): boolean {
    return true;
  }

  encodeSequence(text: string, typeId: number, splitSpecialTokens: boolean, stopAfter?: number): Encoding {
    const av = this.pipeline.addedVocabulary;
    av.encodeSpecialTokens = splitSpecialTokens;
    try {
      return this.pipeline.encodeSequence(text, typeId, stopAfter);
    } finally {
      av.encodeSpecialTokens = false;
    }
  }
  postProcess(a: Encoding, b: Encoding | undefined, addSpecialTokens: boolean): Encoding {
    return this.pipeline.postProcess(a, b, addSpecialTokens);
  }
  numSpecialTokensToAdd(isPair: boolean): number {
    return this.pipeline.numSpecialTokensToAdd(isPair);
  }
  tokenToId(token: string): number | undefined {
    return this.pipeline.tokenToId(token);
  }
  idToToken(id: number): string | undefined {
    return this.pipeline.idToToken(id);
  }
  isSpecialId(id: number): boolean {
    return this.pipeline.addedVocabulary.isSpecial(id);
  }
  protected decodeIds(ids: readonly number[], skipSpecialTokens: boolean): string {
    return this.pipeline.decode(ids, skipSpecialTokens);
  }

  /** Tokens back to text through the decoder (transformers' convert_tokens_to_string). */
  convertTokensToString(tokens: string[]): string {
    const d = this.pipeline.decoder;
    return d ? d.decode(tokens) : tokens.join(' ');
  }

  /** The pieces the Unigram model receives, after normalizer and pre-tokenizer. */
  preTokenize(text: string): string[] {
    return this.pipeline.preTokenize(text);
  }

  /** The text after the normalizer (what decode(encode(x)) gives back, up to the Metaspace markers). */
  normalize(text: string): string {
    return this.pipeline.normalizeText(text);
  }

  /** The tokenizer.json document of this tokenizer. */
  toTokenizerJson(): Record<string, unknown> {
    return this.pipeline.toJSON();
  }

  /** tokenizer_config.json as transformers writes it. */
  tokenizerConfig(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      ...this.config,
      tokenizer_class: 'AlbertTokenizer',
      model_max_length: this.modelMaxLength,
      padding_side: this.paddingSide,
      truncation_side: this.truncationSide,
      clean_up_tokenization_spaces: this.cleanUpTokenizationSpaces,
      model_input_names: this.modelInputNames,
      ...this.specialTokens,
    };
    if (this.additionalSpecialTokens.length) out.additional_special_tokens = [...this.additionalSpecialTokens];
    if (this.length > this.vocabSize || this.additionalSpecialTokens.length)
      out.added_tokens_decoder = addedTokensDecoder(this.pipeline.addedVocabulary.tokens);
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
  }

  /** special_tokens_map.json: the special tokens and additional_special_tokens. */
  specialTokensMap(): Record<string, unknown> {
    return this.additionalSpecialTokens.length
      ? { ...this.specialTokens, additional_special_tokens: [...this.additionalSpecialTokens] }
      : { ...this.specialTokens };
  }

  /** Writes spiece.model (transformers' save_vocabulary); needs the tokenizer to have been loaded with one. */
  async saveVocabulary(dir: string): Promise<string[]> {
    if (!this.spiece)
      throw new TokenizerFileError(
        'saveVocabulary needs spiece.model, and this tokenizer was loaded from tokenizer.json alone',
      );
    return writeFiles(dir, { 'spiece.model': this.spiece });
  }

  /** Writes tokenizer.json, tokenizer_config.json, special_tokens_map.json (and spiece.model when known). */
  async savePretrained(dir: string): Promise<string[]> {
    const files: Record<string, string | Uint8Array> = {
      'tokenizer.json': JSON.stringify(this.toTokenizerJson(), null, 2),
      'tokenizer_config.json': JSON.stringify(this.tokenizerConfig(), null, 2),
      'special_tokens_map.json': JSON.stringify(this.specialTokensMap(), null, 2),
    };
    if (this.spiece) files['spiece.model'] = this.spiece;
    const beyond = addedTokensJson(this.pipeline.addedVocabulary.tokens, this.vocabSize);
    if (Object.keys(beyond).length) files['added_tokens.json'] = JSON.stringify(beyond, null, 2);
    return writeFiles(dir, files);
  }
}
