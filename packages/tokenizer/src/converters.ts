// tokenizer.json documents built from a sentencepiece model, as transformers writes and reads them:
// - albertTokenizerJson: transformers' AlbertConverter (convert_slow_tokenizer.py: SpmConverter + AlbertConverter),
//   https://github.com/huggingface/transformers/blob/main/src/transformers/convert_slow_tokenizer.py
// - transformersV5Json: the pipeline transformers 5's AlbertTokenizer actually runs when it loads a tokenizer.json
//   (WhitespaceSplit before Metaspace, no final space-collapsing Replace, <unk> as a special added token).
import { bytesToBase64 } from './base64.js';
import { TokenizerFileError } from './errors.js';
import { PieceType } from './sentencepiece/model-proto.js';
import type { SentencePieceProcessor } from './sentencepiece/processor.js';
import { isPythonDigit } from './unicode.js';

type Json = Record<string, unknown>;

export interface AlbertConvertOptions {
  doLowerCase: boolean;
  keepAccents: boolean;
}

const addedToken = (id: number, content: string, special: boolean) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special,
});

/** Digit-comma pieces ("3,") get score - 100 so that the fast tokenizer splits them like AlbertTokenizer's re-split. */
function checkNumberComma(piece: string): boolean {
  const a = Array.from(piece);
  return a.length < 2 || a[a.length - 1] !== ',' || !isPythonDigit(a[a.length - 2]!);
}

export function albertTokenizerJson(sp: SentencePieceProcessor, o: AlbertConvertOptions): Json {
  const { pieces, trainerSpec, normalizerSpec } = sp.model;
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  const normalizers: Json[] = [
    { type: 'Replace', pattern: { String: '``' }, content: '"' },
    { type: 'Replace', pattern: { String: "''" }, content: '"' },
  ];
  if (!o.keepAccents) normalizers.push({ type: 'NFKD' }, { type: 'StripAccents' });
  if (o.doLowerCase) normalizers.push({ type: 'Lowercase' });
  if (normalizerSpec.precompiledCharsmap.length > 0)
    normalizers.push({ type: 'Precompiled', precompiled_charsmap: bytesToBase64(normalizerSpec.precompiledCharsmap) });
  normalizers.push({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' });
  const cls = sp.pieceToId('[CLS]');
  const sep = sp.pieceToId('[SEP]');
  if (sp.idToPiece(cls) !== '[CLS]' || sp.idToPiece(sep) !== '[SEP]')
    throw new TokenizerFileError('the sentencepiece model has no [CLS] / [SEP] pieces, which ALBERT needs');
  const spec = (id: string, type_id: number) => ({ SpecialToken: { id, type_id } });
  const seq = (id: 'A' | 'B', type_id: number) => ({ Sequence: { id, type_id } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: pieces.flatMap((p, id) =>
      p.type === PieceType.CONTROL
        ? [addedToken(id, p.piece, true)]
        : p.type === PieceType.USER_DEFINED
          ? [addedToken(id, p.piece, false)]
          : [],
    ),
    normalizer: { type: 'Sequence', normalizers },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [spec('[CLS]', 0), seq('A', 0), spec('[SEP]', 0)],
      pair: [spec('[CLS]', 0), seq('A', 0), spec('[SEP]', 0), seq('B', 1), spec('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
      },
    },
    decoder: metaspace,
    model: {
      type: 'Unigram',
      unk_id: trainerSpec.unkId,
      vocab: pieces.map((p) => [p.piece, checkNumberComma(p.piece) ? p.score : p.score - 100]),
      byte_fallback: trainerSpec.byteFallback,
    },
  };
}

/** The tokenizer.json transformers 5 runs for an ALBERT tokenizer.json (see the module comment). */
export function transformersV5Json(json: Json, unkToken = '<unk>'): Json {
  const out = structuredClone(json);
  const norm = out.normalizer as Json | null;
  if (norm && norm.type === 'Sequence') {
    const list = norm.normalizers as Json[];
    const last = list[list.length - 1];
    if (last?.type === 'Replace' && (last.pattern as Json)?.Regex === ' {2,}') list.pop();
  }
  const pre = out.pre_tokenizer as Json | null;
  if (pre && pre.type === 'Metaspace')
    out.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, pre] };
  const added = (out.added_tokens as Json[]) ?? [];
  const vocab = (out.model as Json).vocab as Array<[string, number]>;
  const unkId = vocab.findIndex((v) => v[0] === unkToken);
  if (unkId >= 0 && !added.some((a) => a.content === unkToken)) {
    added.push(addedToken(unkId, unkToken, true));
    added.sort((a, b) => (a.id as number) - (b.id as number));
  }
  out.added_tokens = added;
  return out;
}
