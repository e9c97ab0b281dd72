export type { AddedTokenInit } from './added-tokens.js';
export { AlbertTokenizer, type AlbertTokenizerOptions } from './albert-tokenizer.js';
export { AlbertTokenizerFast, type AlbertTokenizerFastOptions } from './albert-tokenizer-fast.js';
export { type AnyTokenizer, AutoTokenizer, type AutoTokenizerOptions } from './auto-tokenizer.js';
export type { BatchEncoding, Ids, IdsOf, Offsets, OffsetsOf, TensorLike } from './batch-encoding.js';
export type { CallOptions, PaddingOption, TruncationOption } from './call-options.js';
export { type AlbertConfig, parseTokenizerConfig } from './config.js';
export { albertTokenizerJson, transformersV5Json } from './converters.js';
export { TokenizerError, TokenizerFileError, TokenizerInputError } from './errors.js';
export {
  loadTokenizerFiles,
  readTokenizerFiles,
  readTokenizerFolder,
  type TokenizerFileReader,
  type TokenizerFiles,
} from './files.js';
export { Encoding, type Offset } from './pipeline/encoding.js';
export { NormalizedString } from './pipeline/normalized-string.js';
export { TokenizerPipeline } from './pipeline/tokenizer-json.js';
export { type ModelProto, PieceType, parseModelProto } from './sentencepiece/model-proto.js';
export { SentencePieceProcessor, type SentencePieceVersion } from './sentencepiece/processor.js';
export {
  ALBERT_SPECIAL_TOKENS,
  cleanUpTokenization,
  type DecodeOptions,
  PreTrainedTokenizerBase,
  type SpecialTokensMap,
  type TokenizerSettings,
} from './tokenization-base.js';
export { BasicTokenizer, type BasicTokenizerOptions } from './wordpiece/basic-tokenizer.js';
export {
  BERT_SPECIAL_TOKENS,
  BertTokenizer,
  type BertTokenizerOptions,
  parseVocabTxt,
} from './wordpiece/bert-tokenizer.js';
export { WordPiece } from './wordpiece/wordpiece.js';
