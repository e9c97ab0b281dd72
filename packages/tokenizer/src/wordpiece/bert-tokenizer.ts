// The tokenizer of ALBERT checkpoints that ship a BERT vocab.txt instead of spiece.model (the Chinese ALBERT models
// use BertTokenizer): BasicTokenizer + WordPiece, "[CLS] A [SEP] B [SEP]".
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/tokenization_bert.py (BertTokenizer)
import { TokenizerFileError } from '../errors.js';
import { Encoding } from '../pipeline/encoding.js';
import { TemplateProcessing } from '../processors/template.js';
import { PreTrainedTokenizerBase, type TokenizerSettings } from '../tokenization-base.js';
import { BasicTokenizer } from './basic-tokenizer.js';
import { WordPiece } from './wordpiece.js';

export interface BertTokenizerOptions extends TokenizerSettings {
  doLowerCase?: boolean;
  doBasicTokenize?: boolean;
  tokenizeChineseChars?: boolean;
  stripAccents?: boolean;
}

export const BERT_SPECIAL_TOKENS = {
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
};

/** Parses vocab.txt: one token per line, the id is the line number. */
export function parseVocabTxt(text: string): Map<string, number> {
  const vocab = new Map<string, number>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const token = line.replace(/\r$/, '');
    if (!vocab.has(token)) vocab.set(token, i);
  });
  if (vocab.size === 0) throw new TokenizerFileError('vocab.txt is empty');
  return vocab;
}

export class BertTokenizer extends PreTrainedTokenizerBase {
  readonly vocab: Map<string, number>;
  readonly idsToTokens: string[] = [];
  readonly basic: BasicTokenizer | undefined;
  readonly wordpiece: WordPiece;
  private readonly template: TemplateProcessing;

  constructor(vocabTxt: string, options: BertTokenizerOptions = {}) {
    super({ ...options, specialTokens: { ...BERT_SPECIAL_TOKENS, ...options.specialTokens } });
    this.vocab = parseVocabTxt(vocabTxt);
    for (const [t, id] of this.vocab) this.idsToTokens[id] = t;
    const { unk_token: unk, cls_token: cls, sep_token: sep } = this.specialTokens;
    for (const t of [unk, cls, sep])
      if (!this.vocab.has(t))
        throw new TokenizerFileError(`vocab.txt has no ${JSON.stringify(t)} token (${this.vocab.size} tokens)`);
    const doLowerCase = options.doLowerCase ?? true;
    this.basic =
      options.doBasicTokenize === false
        ? undefined
        : new BasicTokenizer({
            doLowerCase,
            stripAccents: options.stripAccents,
            tokenizeChineseChars: options.tokenizeChineseChars ?? true,
            neverSplit: this.allSpecialTokens,
          });
    this.wordpiece = new WordPiece(this.vocab, unk);
    this.template = TemplateProcessing.clsSep(cls, sep, (t) => this.vocab.get(t)!);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }
  protected get hasOffsets(): boolean {
    return false;
  }

  /** Basic tokenization then WordPiece (special tokens are never split). */
  override tokenize(text: string, options: { splitSpecialTokens?: boolean } = {}): string[] {
    const words = this.basic ? this.basic.tokenize(text) : text.split(/\s+/).filter((w) => w.length > 0);
    const specials = new Set(this.allSpecialTokens);
    return words.flatMap((w) => (!options.splitSpecialTokens && specials.has(w) ? [w] : this.wordpiece.tokenize(w)));
  }

  encodeSequence(text: string, typeId: number, splitSpecialTokens: boolean): Encoding {
    const tokens = this.tokenize(text, { splitSpecialTokens });
    return Encoding.fromIds(
      tokens.map((t) => this.vocab.get(t) ?? this.vocab.get(this.specialTokens.unk_token)!),
      tokens,
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
    return this.vocab.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.idsToTokens[id];
  }
  isSpecialId(id: number): boolean {
    const t = this.idsToTokens[id];
    return t !== undefined && this.allSpecialTokens.includes(t);
  }
  /** BertTokenizer.convert_tokens_to_string: tokens joined by spaces, " ##" removed. */
  protected decodeIds(ids: readonly number[], skipSpecialTokens: boolean): string {
    return this.convertIdsToTokens(ids, skipSpecialTokens).join(' ').replaceAll(' ##', '').trim();
  }
}
