// AlbertTokenizer in sentencepiece mode (transformers 4.x' slow tokenizer, Google's original ALBERT preprocessing):
// remove_space, `` and '' → ", NFKD + removal of characters with a non-zero canonical combining class (unless
// keep_accents), lower-casing, sentencepiece encode, the digit-comma re-split; special tokens in the text are split
// out first ([MASK] with lstrip).
// https://github.com/huggingface/transformers/blob/v4.57.0/src/transformers/models/albert/tokenization_albert.py
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
import { mergeConfigOptions, parseTokenizerConfig } from './config.js';
import { albertTokenizerJson } from './converters.js';
import { TokenizerFileError, TokenizerInputError, withSource } from './errors.js';
import { loadTokenizerFiles, type TokenizerFiles, writeFiles } from './files.js';
import type { AddedToken } from './pipeline/added-vocabulary.js';
import { Encoding, filled } from './pipeline/encoding.js';
import { TemplateProcessing } from './processors/template.js';
import { SentencePieceProcessor, type SentencePieceVersion } from './sentencepiece/processor.js';
import { PreTrainedTokenizerBase, type TokenizerSettings } from './tokenization-base.js';
import { endsWithDigitComma, isPythonSpace, pythonCollapseSpaces, withoutCombiningMarks } from './unicode.js';

export interface AlbertTokenizerOptions extends TokenizerSettings {
  doLowerCase?: boolean;
  keepAccents?: boolean;
  removeSpace?: boolean;
  /** Tie-breaking of which sentencepiece release (default '0.2', what pip installs): see SentencePieceVersion. */
  sentencepiece?: SentencePieceVersion;
}

const SPIECE_UNDERLINE = '\u2581';
// biome-ignore lint/suspicious/noControlCharactersInRegex: all of ASCII
const ASCII = /^[\x00-\x7f]*$/;

function pyRstrip(s: string): string {
  let e = s.length;
  while (e > 0 && isPythonSpace(s[e - 1]!)) e--;
  return s.slice(0, e);
}
function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPythonSpace(s[i]!)) i++;
  return s.slice(i);
}

const MASK_TOKEN_OPTIONS = { lstrip: true, rstrip: false, single_word: false } as const;

/** Python's str.lower() of each character alone: JS lower-cases a word-final Σ to ς, Python's per-char pass to σ. */
function lowerEachChar(s: string): string {
  return (s.includes('\u03a3') ? s.replaceAll('\u03a3', '\u03c3') : s).toLowerCase();
}

/**
 * The occurrences of `tokens` in `text`, left to right, never overlapping: at the leftmost position where one starts,
 * the longest there (`longest`: transformers' Trie.split) or the first in list order (Python's re alternation
 * `(t1|t2|…)|(.+?)`, the do_lower_case pass). Each token's next occurrence is found with indexOf and kept until passed.
 */
function scanTokens(text: string, tokens: readonly string[], longest: boolean): Array<[number, string]> {
  const list = tokens.filter((t) => t.length > 0);
  const next = list.map((t) => text.indexOf(t));
  const out: Array<[number, string]> = [];
  let last = 0;
  for (;;) {
    let at = -1;
    let best = '';
    for (let k = 0; k < list.length; k++) {
      if (next[k]! >= 0 && next[k]! < last) next[k] = text.indexOf(list[k]!, last);
      const p = next[k]!;
      if (p < 0) continue;
      if (at < 0 || p < at || (longest && p === at && list[k]!.length > best.length)) {
        at = p;
        best = list[k]!;
      }
    }
    if (at < 0) return out;
    out.push([at, best]);
    last = at + best.length;
  }
}

/** transformers' Trie.split: the text cut around the longest token at each leftmost position (no empty pieces). */
function trieSplit(text: string, tokens: readonly string[]): string[] {
  const out: string[] = [];
  let last = 0;
  for (const [at, t] of scanTokens(text, tokens, true)) {
    if (last < at) out.push(text.slice(last, at));
    out.push(t);
    last = at + t.length;
  }
  if (last < text.length) out.push(last === 0 ? text : text.slice(last));
  return out;
}

export class AlbertTokenizer extends PreTrainedTokenizerBase {
  readonly doLowerCase: boolean;
  readonly keepAccents: boolean;
  readonly removeSpace: boolean;
  private readonly template: TemplateProcessing;

  constructor(
    readonly sp: SentencePieceProcessor,
    options: AlbertTokenizerOptions = {},
  ) {
    super(options);
    this.doLowerCase = options.doLowerCase ?? true;
    this.keepAccents = options.keepAccents ?? false;
    this.removeSpace = options.removeSpace ?? true;
    const cls = this.specialTokens.cls_token;
    const sep = this.specialTokens.sep_token;
    this.template = TemplateProcessing.clsSep(cls, sep, (t) => sp.pieceToId(t));
  }

  /** Loads the bytes of a spiece.model. */
  static fromSentencePiece(spiece: Uint8Array, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
    return new AlbertTokenizer(new SentencePieceProcessor(spiece, 'spiece.model', options.sentencepiece), options);
  }

  /** From the files of a tokenizer folder: spiece.model, honouring tokenizer_config.json / special_tokens_map.json. */
  static fromFiles(files: TokenizerFiles, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
    const spiece = files['spiece.model'];
    if (spiece === undefined)
      throw new TokenizerFileError(
        `AlbertTokenizer needs spiece.model (the sentencepiece model)${files['tokenizer.json'] !== undefined ? '; the folder has only tokenizer.json: use AlbertTokenizerFast' : ''}`,
      );
    const cfg = parseTokenizerConfig(files['tokenizer_config.json'], files['special_tokens_map.json']);
    const tok = AlbertTokenizer.fromSentencePiece(spiece, mergeConfigOptions(cfg, options));
    // tokens transformers' add_tokens saved in added_tokens_decoder (beyond the sentencepiece pieces)
    for (const t of parseAddedTokensDecoder(cfg.raw.added_tokens_decoder))
      if (tok.sp.idToPiece(t.id) !== t.content && !tok.added.has(t.content)) tok.added.set(t.content, t);
    tok.additionalSpecialTokens.push(...additionalSpecialTokensOf(cfg.raw));
    return tok;
  }

  /**
   * transformers' `AlbertTokenizer.from_pretrained`: a folder, a Hugging Face cache folder, a URL, or a Hub repo id
   * (downloaded through @albertjs/core's Hub client: revision, token, localFilesOnly / HF_HUB_OFFLINE, cacheDir).
   */
  static async fromPretrained(
    idOrPath: string,
    options: AlbertTokenizerOptions & HubOptions = {},
  ): Promise<AlbertTokenizer> {
    const [hub, rest] = splitHubOptions(options);
    const { files, where } = await loadTokenizerFiles(idOrPath, hub);
    return withSource(where, () => AlbertTokenizer.fromFiles(files, rest));
  }

  get vocabSize(): number {
    return this.sp.vocabSize;
  }

  /** Tokens added with addTokens / addSpecialTokens, by content. */
  private readonly added = new Map<string, AddedToken>();

  /** `len(tokenizer)`: the vocabulary with the added tokens beyond it. */
  get length(): number {
    return lengthWithAdded(this.vocabSize, this.added.values());
  }

  /** transformers' `add_tokens` (see AlbertTokenizerFast.addTokens). Returns how many were added. */
  addTokens(tokens: ReadonlyArray<string | AddedTokenInit>, specialTokens = false): number {
    const fresh = newAddedTokens(tokens, specialTokens, this.added, this.vocabSize, (c) => this.tokenToId(c));
    for (const t of fresh) this.added.set(t.content, t);
    return fresh.length;
  }

  /** transformers' `add_special_tokens({additional_special_tokens: [...]})`. */
  addSpecialTokens(map: { additional_special_tokens: ReadonlyArray<string | AddedTokenInit> }): number {
    return addSpecialTokensWith(map, (t, special) => this.addTokens(t, special), this.additionalSpecialTokens);
  }
  protected get hasOffsets(): boolean {
    return false;
  }

  /** transformers' AlbertTokenizer.preprocess_text. */
  preprocessText(text: string): string {
    let out = this.removeSpace ? pythonCollapseSpaces(text) : text;
    out = out.replaceAll('``', '"').replaceAll("''", '"');
    // NFKD leaves ASCII as it is
    if (!this.keepAccents && !ASCII.test(out)) out = withoutCombiningMarks(out.normalize('NFKD'));
    if (this.doLowerCase) out = out.toLowerCase();
    return out;
  }

  /** transformers' AlbertTokenizer._tokenize: sentencepiece pieces with the digit-comma re-split, appended with their ids. */
  private sentencePieceTokenizeInto(text: string, tokens: string[], ids: number[]): void {
    const unk = this.sp.unkId;
    // `9,` pieces are re-split after the pass (encoding them inside it would reuse the encoder's buffers)
    let firstResplit = -1;
    this.sp.forEachPiece(this.preprocessText(text), (id, piece) => {
      if (firstResplit < 0 && endsWithDigitComma(piece)) firstResplit = tokens.length;
      tokens.push(piece);
      // transformers maps each piece back with piece_to_id: a merged unknown piece may be a (control) piece
      ids.push(id === unk ? this.sp.pieceToId(piece) : id);
    });
    if (firstResplit < 0) return;
    const pieces = tokens.splice(firstResplit);
    const pieceIds = ids.splice(firstResplit);
    pieces.forEach((piece, i) => {
      if (!endsWithDigitComma(piece)) {
        tokens.push(piece);
        ids.push(pieceIds[i]!);
        return;
      }
      const body = piece.slice(0, -1);
      let cur = this.sp.encode(body.replaceAll(SPIECE_UNDERLINE, '')).map((p) => p.piece);
      if (body[0] !== SPIECE_UNDERLINE && cur[0]?.[0] === SPIECE_UNDERLINE) {
        if (cur[0].length === 1) cur = cur.slice(1);
        else cur[0] = cur[0].slice(1);
      }
      cur.push(',');
      for (const t of cur) {
        tokens.push(t);
        ids.push(this.sp.pieceToId(t));
      }
    });
  }

  /** transformers' AlbertTokenizer._tokenize: sentencepiece pieces with the digit-comma re-split. */
  sentencePieceTokenize(text: string): string[] {
    const tokens: string[] = [];
    this.sentencePieceTokenizeInto(text, tokens, []);
    return tokens;
  }

  /**
   * transformers 4.x PreTrainedTokenizer.tokenize before `_tokenize` (on text already through lowerExceptSpecial):
   * tokens_trie.split, then AddedToken lstrip / rstrip / single_word applied to the neighbours; the pieces left are
   * sentencepiece'd one by one (preprocess_text strips each, so no lone "▁" stands next to an added token, unlike
   * the fast tokenizer).
   * https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/tokenization_utils.py#L640-L720
   */
  private splitSpecial(text: string): Array<{ text: string; special: boolean }> {
    const noSplit = new Set([
      ...this.allSpecialTokens.filter(
        (t) => this.sp.pieceToId(t) !== this.sp.unkId || t === this.specialTokens.unk_token,
      ),
      ...this.added.keys(),
    ]);
    const tokens = trieSplit(text, [...noSplit]);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!noSplit.has(token)) continue;
      // AlbertTokenizer.__init__ makes the mask token AddedToken(lstrip=True); added tokens carry their own options
      const a = this.added.get(token) ?? (token === this.specialTokens.mask_token ? MASK_TOKEN_OPTIONS : undefined);
      if (!a) continue;
      const left = i > 0 ? tokens[i - 1] : undefined;
      const right = i < tokens.length - 1 ? tokens[i + 1] : undefined;
      if (a.rstrip && right) tokens[i + 1] = pyLstrip(right);
      if (a.lstrip && left) tokens[i - 1] = pyRstrip(left);
      if (a.single_word && left && left.at(-1) !== ' ') {
        tokens[i - 1] += token;
        tokens[i] = '';
      } else if (a.single_word && right && right[0] !== ' ') {
        tokens[i + 1] = token + right;
        tokens[i] = '';
      }
    }
    return tokens.filter((t) => t.length > 0).map((t) => ({ text: t, special: noSplit.has(t) }));
  }

  /**
   * The do_lower_case pass of transformers' tokenize: every character lower-cased alone (Python's str.lower() per
   * character) except the special tokens and the normalized non-special added tokens, so an added "albertjs"
   * matches "AlbertJS" in the text and an added "Node" only "Node".
   */
  private lowerExceptSpecial(text: string): string {
    const spared = [
      ...this.allSpecialTokens,
      ...[...this.added.values()].filter((t) => !t.special && t.normalized).map((t) => t.content),
    ];
    let out = '';
    let last = 0;
    for (const [at, t] of scanTokens(text, spared, false)) {
      out += lowerEachChar(text.slice(last, at)) + t;
      last = at + t.length;
    }
    return out + lowerEachChar(text.slice(last));
  }

  /** Tokens and ids of a text: special tokens split out, the rest through sentencepiece (transformers' tokenize). */
  private tokenizeWithIds(text: string, splitSpecialTokens: boolean): { tokens: string[]; ids: number[] } {
    const tokens: string[] = [];
    const ids: number[] = [];
    const lowered = this.doLowerCase ? this.lowerExceptSpecial(text) : text;
    if (splitSpecialTokens) this.sentencePieceTokenizeInto(lowered, tokens, ids);
    else
      for (const p of this.splitSpecial(lowered)) {
        if (!p.special) this.sentencePieceTokenizeInto(p.text, tokens, ids);
        else {
          tokens.push(p.text);
          ids.push(this.sp.pieceToId(p.text));
        }
      }
    // transformers' _convert_token_to_id: added tokens first
    if (this.added.size > 0)
      for (let i = 0; i < tokens.length; i++) {
        const a = this.added.get(tokens[i]!);
        if (a) ids[i] = a.id;
      }
    return { tokens, ids };
  }

  /** Tokens of a text: special tokens split out, the rest through sentencepiece (transformers' tokenize). */
  override tokenize(text: string, options: { splitSpecialTokens?: boolean } = {}): string[] {
    return this.tokenizeWithIds(text, options.splitSpecialTokens ?? false).tokens;
  }

  encodeSequence(text: string, typeId: number, splitSpecialTokens: boolean): Encoding {
    const { tokens, ids } = this.tokenizeWithIds(text, splitSpecialTokens);
    const n = ids.length;
    return Encoding.ofSequence(
      ids,
      tokens,
      () => filled(n, 0),
      () => filled(n, 0),
      typeId,
    );
  }

  postProcess(a: Encoding, b: Encoding | undefined, addSpecialTokens: boolean): Encoding {
    return this.template.process(a, b, addSpecialTokens);
  }
  numSpecialTokensToAdd(isPair: boolean): number {
    return this.template.addedTokens(isPair);
  }
  tokenToId(token: string): number | undefined {
    const a = this.added?.get(token);
    if (a) return a.id;
    const id = this.sp.pieceToId(token);
    return id === this.sp.unkId && token !== this.sp.idToPiece(id) ? undefined : id;
  }
  idToToken(id: number): string | undefined {
    for (const t of this.added.values()) if (t.id === id) return t.content;
    return this.sp.idToPiece(id);
  }
  isSpecialId(id: number): boolean {
    const t = this.idToToken(id);
    return t !== undefined && (this.allSpecialTokens.includes(t) || this.added.get(t)?.special === true);
  }

  /** sentencepiece's DecodePieces: "▁" → space, the first one dropped, <unk> → " ⁇ ", control pieces → "". */
  private decodePieces(pieces: string[]): string {
    let out = '';
    pieces.forEach((p, i) => {
      const id = this.sp.pieceToId(p);
      let surface = p;
      if (this.sp.isControl(id)) surface = '';
      else if (id === this.sp.unkId && this.sp.idToPiece(id) === p) surface = this.sp.model.trainerSpec.unkSurface;
      surface = surface.replaceAll(SPIECE_UNDERLINE, ' ');
      if (i === 0 && surface.startsWith(' ') && this.sp.model.normalizerSpec.addDummyPrefix) surface = surface.slice(1);
      out += surface;
    });
    return out;
  }

  /** transformers' AlbertTokenizer.convert_tokens_to_string. */
  convertTokensToString(tokens: string[]): string {
    let cur: string[] = [];
    let out = '';
    let prevIsSpecial = false;
    const specials = [...this.allSpecialTokens, ...this.added.keys()];
    for (const t of tokens) {
      if (specials.includes(t)) {
        if (!prevIsSpecial) out += ' ';
        out += this.decodePieces(cur) + t;
        prevIsSpecial = true;
        cur = [];
      } else {
        cur.push(t);
        prevIsSpecial = false;
      }
    }
    out += this.decodePieces(cur);
    return pyLstrip(pyRstrip(out));
  }

  protected decodeIds(ids: readonly number[], skipSpecialTokens: boolean): string {
    return this.convertTokensToString(this.convertIdsToTokens(ids, skipSpecialTokens));
  }

  /** The bytes of spiece.model, unchanged. */
  get serializedModel(): Uint8Array {
    return this.sp.serialized;
  }

  /** transformers' tokenizer_config.json for this tokenizer. */
  tokenizerConfig(): Record<string, unknown> {
    return {
      do_lower_case: this.doLowerCase,
      keep_accents: this.keepAccents,
      remove_space: this.removeSpace,
      tokenizer_class: 'AlbertTokenizer',
      model_max_length: this.modelMaxLength,
      padding_side: this.paddingSide,
      truncation_side: this.truncationSide,
      clean_up_tokenization_spaces: this.cleanUpTokenizationSpaces,
      ...this.specialTokens,
      ...(this.additionalSpecialTokens.length ? { additional_special_tokens: [...this.additionalSpecialTokens] } : {}),
      ...(this.added.size ? { added_tokens_decoder: addedTokensDecoder([...this.added.values()]) } : {}),
    };
  }

  /** Writes spiece.model (transformers' save_vocabulary). */
  async saveVocabulary(dir: string): Promise<string[]> {
    return writeFiles(dir, { 'spiece.model': this.sp.serialized });
  }

  /** Writes spiece.model, tokenizer.json (as AlbertConverter converts it), tokenizer_config.json, special_tokens_map.json. */
  async savePretrained(dir: string): Promise<string[]> {
    const json = albertTokenizerJson(this.sp, { doLowerCase: this.doLowerCase, keepAccents: this.keepAccents });
    const added = [...this.added.values()];
    (json.added_tokens as AddedToken[]).push(...added);
    const files: Record<string, string | Uint8Array> = {
      'spiece.model': this.sp.serialized,
      'tokenizer.json': JSON.stringify(json, null, 2),
      'tokenizer_config.json': JSON.stringify(this.tokenizerConfig(), null, 2),
      'special_tokens_map.json': JSON.stringify(
        this.additionalSpecialTokens.length
          ? { ...this.specialTokens, additional_special_tokens: [...this.additionalSpecialTokens] }
          : this.specialTokens,
        null,
        2,
      ),
    };
    if (added.length) files['added_tokens.json'] = JSON.stringify(addedTokensJson(added, this.vocabSize), null, 2);
    return writeFiles(dir, files);
  }

  override convertIdsToTokens(ids: readonly number[], skipSpecialTokens = false): string[] {
    for (const id of ids)
      if (this.idToToken(id) === undefined)
        throw new TokenizerInputError(`id ${id} is outside the vocabulary (size ${this.vocabSize})`);
    return super.convertIdsToTokens(ids, skipSpecialTokens);
  }
}
