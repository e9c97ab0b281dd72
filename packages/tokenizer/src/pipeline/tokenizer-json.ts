// Builds the tokenizer.json pipeline (normalizer → pre-tokenizer → model → post-processor, decoder, added tokens)
// and runs it as the `tokenizers` library does (TokenizerImpl::encode_single_sequence / post_process / decode).
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/mod.rs

import { base64ToBytes } from '../base64.js';
import { MetaspaceDecoder } from '../decoders/metaspace.js';
import { MAX_TOKENIZER_NESTING, show, TokenizerFileError } from '../errors.js';
import { type TokenSink, UnigramModel } from '../models/unigram.js';
import { LowercaseNormalizer } from '../normalizers/lowercase.js';
import type { Normalizer } from '../normalizers/normalizer.js';
import { PrecompiledNormalizer } from '../normalizers/precompiled.js';
import { ReplaceNormalizer } from '../normalizers/replace.js';
import { SequenceNormalizer } from '../normalizers/sequence.js';
import { StripNormalizer } from '../normalizers/strip.js';
import { StripAccentsNormalizer } from '../normalizers/strip-accents.js';
import { UnicodeNormalizer } from '../normalizers/unicode-forms.js';
import { MetaspacePreTokenizer, type PrependScheme } from '../pre-tokenizers/metaspace.js';
import type { PreTokenizer } from '../pre-tokenizers/pre-tokenizer.js';
import { SequencePreTokenizer } from '../pre-tokenizers/sequence.js';
import { WhitespaceSplitPreTokenizer } from '../pre-tokenizers/whitespace-split.js';
import { type SpecialTokenEntry, type TemplatePiece, TemplateProcessing } from '../processors/template.js';
import { codePointLength } from '../unicode.js';
import { type AddedToken, AddedVocabulary } from './added-vocabulary.js';
import { CHUNK_CHARS, chunkable, chunkCuts } from './chunks.js';
import { Encoding } from './encoding.js';
import type { NormalizedString } from './normalized-string.js';
import { parsePattern } from './pattern.js';
import { splitText } from './pre-tokenized-string.js';
import { serdeJsonF64 } from './serde-float.js';

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new TokenizerFileError(`${where} must be an object, got ${show(v)}`);
  return v as Json;
}

function typeOf(o: Json, where: string): string {
  if (typeof o.type !== 'string') throw new TokenizerFileError(`${where} has no "type"`);
  return o.type;
}

/** Metaspace's "replacement" (default ▁): a string, or a TokenizerFileError naming the value. */
function replacement(o: Json, where: string): string {
  if (o.replacement === undefined || o.replacement === null) return '\u2581';
  if (typeof o.replacement !== 'string' || !o.replacement)
    throw new TokenizerFileError(`${where}: replacement ${show(o.replacement)} is not a character`);
  return o.replacement;
}

function prependScheme(o: Json, where: string): PrependScheme {
  // Older files have add_prefix_space instead of prepend_scheme.
  const s = o.prepend_scheme ?? (o.add_prefix_space === false ? 'never' : 'always');
  if (s !== 'always' && s !== 'first' && s !== 'never')
    throw new TokenizerFileError(`${where}: prepend_scheme ${show(s)} is not always|first|never`);
  return s;
}

/** Refuses Sequence-in-Sequence nesting deeper than MAX_TOKENIZER_NESTING (the builders recurse). */
function checkNesting(depth: number, where: string): void {
  if (depth > MAX_TOKENIZER_NESTING)
    throw new TokenizerFileError(
      `${where.slice(0, 120)}…: Sequences nested more than ${MAX_TOKENIZER_NESTING} levels deep`,
    );
}

export function buildNormalizer(v: unknown, where = 'normalizer', depth = 0): Normalizer {
  checkNesting(depth, where);
  const o = obj(v, where);
  const t = typeOf(o, where);
  switch (t) {
    case 'Sequence':
      if (!Array.isArray(o.normalizers)) throw new TokenizerFileError(`${where}: Sequence has no "normalizers" array`);
      return new SequenceNormalizer(
        o.normalizers.map((n, i) => buildNormalizer(n, `${where}.normalizers[${i}]`, depth + 1)),
      );
    case 'Replace':
      if (typeof o.content !== 'string') throw new TokenizerFileError(`${where}: Replace has no string "content"`);
      return new ReplaceNormalizer(parsePattern(o.pattern, where), o.content);
    case 'NFD':
    case 'NFKD':
    case 'NFC':
    case 'NFKC':
      return new UnicodeNormalizer(t);
    case 'StripAccents':
      return new StripAccentsNormalizer();
    case 'Lowercase':
      return new LowercaseNormalizer();
    case 'Strip':
      return new StripNormalizer(o.strip_left !== false, o.strip_right !== false);
    case 'Precompiled':
      if (typeof o.precompiled_charsmap !== 'string')
        throw new TokenizerFileError(`${where}: Precompiled has no base64 "precompiled_charsmap"`);
      return new PrecompiledNormalizer(base64ToBytes(o.precompiled_charsmap));
    default:
      throw new TokenizerFileError(
        `${where}: normalizer type ${show(t)} is not supported (supported: Sequence, Replace, NFD, NFKD, NFC, NFKC, StripAccents, Lowercase, Strip, Precompiled)`,
      );
  }
}

export function buildPreTokenizer(v: unknown, where = 'pre_tokenizer', depth = 0): PreTokenizer {
  checkNesting(depth, where);
  const o = obj(v, where);
  const t = typeOf(o, where);
  switch (t) {
    case 'Sequence':
      if (!Array.isArray(o.pretokenizers))
        throw new TokenizerFileError(`${where}: Sequence has no "pretokenizers" array`);
      return new SequencePreTokenizer(
        o.pretokenizers.map((p, i) => buildPreTokenizer(p, `${where}.pretokenizers[${i}]`, depth + 1)),
      );
    case 'Metaspace':
      return new MetaspacePreTokenizer(replacement(o, where), prependScheme(o, where), o.split !== false);
    case 'WhitespaceSplit':
      return new WhitespaceSplitPreTokenizer();
    default:
      throw new TokenizerFileError(
        `${where}: pre-tokenizer type ${show(t)} is not supported (supported: Sequence, Metaspace, WhitespaceSplit)`,
      );
  }
}

/** How vocabulary scores are read (TokenizerPipeline.fromJSON). */
export type ScoreReading = 'serde_json' | 'exact';

function buildModel(v: unknown, scores: ScoreReading): UnigramModel {
  const o = obj(v, 'model');
  const t = o.type ?? (Array.isArray(o.vocab) ? 'Unigram' : undefined);
  if (t !== 'Unigram')
    throw new TokenizerFileError(`model type ${show(t)} is not supported (ALBERT's tokenizer.json uses Unigram)`);
  if (!Array.isArray(o.vocab)) throw new TokenizerFileError('model.vocab must be an array of [piece, score]');
  const vocab = o.vocab.map((e, i) => {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number')
      throw new TokenizerFileError(`model.vocab[${i}] is ${show(e)}, not [piece, score]`);
    return [e[0], e[1]] as const;
  });
  if (o.unk_id != null && !Number.isInteger(o.unk_id))
    throw new TokenizerFileError(`model.unk_id ${show(o.unk_id)} is not an integer`);
  const unkId = o.unk_id == null ? null : (o.unk_id as number);
  return new UnigramModel(vocab, unkId, o.byte_fallback === true, scores === 'serde_json' ? serdeJsonF64 : undefined);
}

const isTypeId = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;

/** A TemplateProcessing template: a list of {"Sequence": {"id": "A"|"B", "type_id"}} / {"SpecialToken": {"id", "type_id"}}. */
function templatePieces(v: unknown, where: string): TemplatePiece[] {
  if (!Array.isArray(v)) throw new TokenizerFileError(`${where} must be a list of template pieces, got ${show(v)}`);
  return v.map((p, i) => {
    const o = obj(p, `${where}[${i}]`);
    const seq = o.Sequence as Json | undefined;
    const special = o.SpecialToken as Json | undefined;
    if (seq && typeof seq === 'object' && (seq.id === 'A' || seq.id === 'B') && isTypeId(seq.type_id)) return p;
    if (special && typeof special === 'object' && typeof special.id === 'string' && isTypeId(special.type_id)) return p;
    throw new TokenizerFileError(
      `${where}[${i}] is ${show(p)}, neither {"Sequence": {"id": "A"|"B", "type_id": n}} nor {"SpecialToken": {"id": "…", "type_id": n}}`,
    );
  }) as TemplatePiece[];
}

/** TemplateProcessing's special_tokens: {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, …}. */
function specialTokenEntries(v: unknown): Record<string, SpecialTokenEntry> {
  const o = obj(v, 'post_processor.special_tokens');
  for (const [k, e] of Object.entries(o)) {
    const t = obj(e, `post_processor.special_tokens[${show(k)}]`);
    if (
      typeof t.id !== 'string' ||
      !Array.isArray(t.ids) ||
      !t.ids.every((x) => Number.isInteger(x) && x >= 0) ||
      !Array.isArray(t.tokens) ||
      !t.tokens.every((x) => typeof x === 'string') ||
      t.tokens.length !== t.ids.length
    )
      throw new TokenizerFileError(
        `post_processor.special_tokens[${show(k)}] is ${show(e)}: expected {"id": string, "ids": [ids], "tokens": [as many strings]}`,
      );
  }
  return o as unknown as Record<string, SpecialTokenEntry>;
}

function buildPostProcessor(v: unknown): TemplateProcessing {
  const o = obj(v, 'post_processor');
  const t = typeOf(o, 'post_processor');
  if (t !== 'TemplateProcessing')
    throw new TokenizerFileError(`post_processor type ${show(t)} is not supported (supported: TemplateProcessing)`);
  return new TemplateProcessing(
    templatePieces(o.single, 'post_processor.single'),
    templatePieces(o.pair, 'post_processor.pair'),
    specialTokenEntries(o.special_tokens),
  );
}

function buildDecoder(v: unknown): MetaspaceDecoder {
  const o = obj(v, 'decoder');
  const t = typeOf(o, 'decoder');
  if (t !== 'Metaspace')
    throw new TokenizerFileError(`decoder type ${show(t)} is not supported (supported: Metaspace)`);
  return new MetaspaceDecoder(replacement(o, 'decoder'), prependScheme(o, 'decoder'), o.split !== false);
}

/** Growable int32 storage reused by every encoding (the encoders are synchronous): no fresh memory per text. */
class IntScratch {
  a: Int32Array = new Int32Array(1024);
  ensure(n: number): Int32Array {
    if (n > this.a.length) {
      const b = new Int32Array(Math.max(n, 2 * this.a.length));
      b.set(this.a);
      this.a = b;
    }
    return this.a;
  }
}
const scratchIds = new IntScratch();
const scratchStarts = new IntScratch();
const scratchEnds = new IntScratch();

/** number[] of a[0, n), built at its final size. */
function toNumbers(a: Int32Array, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}

/**
 * Collects model tokens with their offsets mapped to the original text, in shared scratch arrays; a token's string is
 * kept only where it is not the vocabulary's (fused unknown pieces, added tokens), the others are looked up when read.
 */
class EncodingSink implements TokenSink {
  length = 0;
  private ids: Int32Array = scratchIds.a;
  private starts: Int32Array = scratchStarts.a;
  private ends: Int32Array = scratchEnds.a;
  private readonly odd = new Map<number, string>();
  ns: NormalizedString | undefined;
  constructor(private readonly model: UnigramModel) {}
  token(id: number, value: string, start: number, end: number): void {
    const ns = this.ns!;
    const i = this.length++;
    if (i === this.ids.length) {
      this.ids = scratchIds.ensure(i + 1);
      this.starts = scratchStarts.ensure(i + 1);
      this.ends = scratchEnds.ensure(i + 1);
    }
    this.ids[i] = id;
    if (value !== this.model.idToToken(id)) this.odd.set(i, value);
    // tokenizers' convert_offsets: an empty range stays as it is, else [first char's start, last char's end).
    this.starts[i] = start < end ? ns.starts[start]! : start;
    this.ends[i] = start < end ? ns.ends[end - 1]! : end;
  }
  /** The encoding of what was collected (copied out of the scratch arrays). */
  encoding(typeId: number): Encoding {
    const n = this.length;
    const ids = toNumbers(this.ids, n);
    const starts = this.starts.slice(0, n);
    const ends = this.ends.slice(0, n);
    const { odd, model } = this;
    return Encoding.ofSequence(
      ids,
      () => ids.map((id, i) => odd.get(i) ?? model.idToToken(id)!),
      () => toNumbers(starts, n),
      () => toNumbers(ends, n),
      typeId,
    );
  }
}

/** The tokenizer.json runtime. */
export class TokenizerPipeline {
  constructor(
    readonly model: UnigramModel,
    readonly normalizer: Normalizer | undefined,
    readonly preTokenizer: PreTokenizer | undefined,
    readonly postProcessor: TemplateProcessing | undefined,
    readonly decoder: MetaspaceDecoder | undefined,
    /** Replaced (not mutated) when tokens are added. */
    public addedVocabulary: AddedVocabulary,
    /**
     * Added tokens whose flags withAddedTokenFlags changed at run time: the entry as the file wrote it, or null when
     * the file did not have it. toJSON writes the file's version.
     */
    private readonly asWritten: ReadonlyMap<string, AddedToken | null> = new Map(),
  ) {}

  /**
   * The same pipeline with one added token's flags changed at run time (as transformers' tokenizer __init__ re-adds
   * a special token over the file's); a token of the model vocabulary that is not yet an added token becomes one.
   * toJSON still writes the file's added tokens.
   */
  withAddedTokenFlags(content: string, flags: Omit<AddedToken, 'id' | 'content'>): TokenizerPipeline {
    const tokens = this.addedVocabulary.tokens;
    const existing = tokens.find((t) => t.content === content);
    let next: AddedToken[];
    if (existing) next = tokens.map((t) => (t === existing ? { ...t, ...flags } : t));
    else {
      const id = this.model.tokenToIdOf(content);
      if (id === undefined) return this;
      next = [...tokens, { id, content, ...flags }];
    }
    const asWritten = new Map(this.asWritten);
    if (!asWritten.has(content)) asWritten.set(content, existing ?? null);
    return new TokenizerPipeline(
      this.model,
      this.normalizer,
      this.preTokenizer,
      this.postProcessor,
      this.decoder,
      new AddedVocabulary(next, this.normalizer),
      asWritten,
    );
  }

  /**
   * `scores`: 'serde_json' reads the vocabulary scores as tokenizers does when it loads a tokenizer.json (see
   * serde-float.ts); 'exact' keeps them, as for a tokenizer converted in memory from spiece.model.
   */
  static fromJSON(json: unknown, source = 'tokenizer.json', scores: ScoreReading = 'serde_json'): TokenizerPipeline {
    try {
      const o = obj(json, source);
      const model = buildModel(o.model, scores);
      const normalizer = o.normalizer == null ? undefined : buildNormalizer(o.normalizer);
      const preTokenizer = o.pre_tokenizer == null ? undefined : buildPreTokenizer(o.pre_tokenizer);
      const post = o.post_processor == null ? undefined : buildPostProcessor(o.post_processor);
      const decoder = o.decoder == null ? undefined : buildDecoder(o.decoder);
      if (o.added_tokens != null && !Array.isArray(o.added_tokens))
        throw new TokenizerFileError(`added_tokens must be a list, got ${show(o.added_tokens)}`);
      const added = ((o.added_tokens as unknown[] | null) ?? []).map((a, i) => {
        const t = obj(a, `added_tokens[${i}]`);
        if (typeof t.id !== 'number' || typeof t.content !== 'string')
          throw new TokenizerFileError(`added_tokens[${i}] needs a numeric "id" and a string "content"`);
        return {
          id: t.id,
          content: t.content,
          single_word: t.single_word === true,
          lstrip: t.lstrip === true,
          rstrip: t.rstrip === true,
          normalized: t.normalized !== false,
          special: t.special === true,
        } satisfies AddedToken;
      });
      return new TokenizerPipeline(
        model,
        normalizer,
        preTokenizer,
        post,
        decoder,
        new AddedVocabulary(added, normalizer),
      );
    } catch (e) {
      if (e instanceof TokenizerFileError) throw new TokenizerFileError(`${source}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: this.addedVocabulary.tokens.flatMap((t) => {
        const written = this.asWritten.get(t.content);
        return written === undefined ? [t] : written === null ? [] : [written];
      }),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
      model: this.model.toJSON(),
    };
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.byContent.get(token)?.id ?? this.model.tokenToIdOf(token);
  }

  idToToken(id: number): string | undefined {
    return this.addedVocabulary.byId.get(id)?.content ?? this.model.idToToken(id);
  }

  /** The pieces the model receives (and the added tokens), after normalizer and pre-tokenizer. */
  preTokenize(text: string): string[] {
    const pts = this.addedVocabulary.extractAndNormalize(this.normalizer, text);
    this.preTokenizer?.preTokenize(pts);
    return pts.splits.map(splitText);
  }

  /** The normalized form of a text (normalizer only). */
  normalizeText(text: string): string {
    const pts = this.addedVocabulary.extractAndNormalize(this.normalizer, text);
    return pts.splits.map(splitText).join('');
  }

  /**
   * Encodes one sequence, before post-processing (encode_single_sequence). With `stopAfter`, the model stops at the
   * first pre-token that brings the count to `stopAfter` tokens: the reference (tokenizers 0.23 under transformers 5)
   * tokenizes no further when truncating to max_length, which decides how longest_first splits a pair and how many
   * overflow windows a long text gives.
   */
  encodeSequence(text: string, typeId: number, stopAfter = Number.POSITIVE_INFINITY): Encoding {
    const sink = new EncodingSink(this.model);
    const cuts = text.length >= 2 * CHUNK_CHARS && this.canChunk() ? chunkCuts(text) : [];
    if (cuts.length === 0) this.encodeInto(text, 0, sink, stopAfter);
    else {
      // Chunks cut at isolated spaces (chunks.ts): the same tokens and offsets as the whole text.
      let from = 0;
      let shift = 0;
      for (let c = 0; c <= cuts.length && sink.length < stopAfter; c++) {
        const to = c < cuts.length ? cuts[c]! : text.length;
        const part = text.slice(from, to);
        this.encodeInto(part, shift, sink, stopAfter);
        shift += codePointLength(part);
        from = to;
      }
    }
    return sink.encoding(typeId);
  }

  /**
   * Whether long texts are encoded in chunks (default true, where chunks.ts shows it gives the same result; false
   * encodes every text whole, as tokenizers does).
   */
  chunkLongTexts = true;
  private chunkableFor: AddedVocabulary | undefined;
  private chunkableNow = false;

  private canChunk(): boolean {
    if (!this.chunkLongTexts) return false;
    if (this.chunkableFor !== this.addedVocabulary) {
      this.chunkableFor = this.addedVocabulary;
      this.chunkableNow = chunkable(this.normalizer, this.preTokenizer, this.addedVocabulary.tokens);
    }
    return this.chunkableNow;
  }

  /** Tokens of text (whose first code point is number `shift` of the whole text) into the sink. */
  private encodeInto(text: string, shift: number, sink: EncodingSink, stopAfter: number): void {
    const pts = this.addedVocabulary.extractAndNormalize(this.normalizer, text, shift);
    this.preTokenizer?.preTokenize(pts);
    for (const split of pts.splits) {
      if (sink.length >= stopAfter) break;
      sink.ns = split.normalized;
      if (split.tokens) for (const t of split.tokens) sink.token(t.id, t.value, t.start, t.end);
      else this.model.tokenize(split.normalized.cps, sink, split.start ?? 0, split.end ?? split.normalized.cps.length);
    }
  }

  /** Number of special tokens post-processing adds. */
  numSpecialTokensToAdd(isPair: boolean): number {
    return this.postProcessor?.addedTokens(isPair) ?? 0;
  }

  postProcess(encoding: Encoding, pair: Encoding | undefined, addSpecialTokens: boolean): Encoding {
    if (this.postProcessor) return this.postProcessor.process(encoding, pair, addSpecialTokens);
    return pair ? Encoding.merge([encoding, pair]) : encoding;
  }

  decode(ids: readonly number[], skipSpecialTokens: boolean): string {
    const tokens: string[] = [];
    for (const id of ids) {
      const t = this.idToToken(id);
      if (t === undefined) continue;
      if (skipSpecialTokens && this.addedVocabulary.isSpecial(id)) continue;
      tokens.push(t);
    }
    return this.decoder ? this.decoder.decode(tokens) : tokens.join(' ');
  }
}
