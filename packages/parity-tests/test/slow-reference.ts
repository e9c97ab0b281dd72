// The reference the slow tokenizer is checked against: transformers 4.x AlbertTokenizer._tokenize around
// sentencepiece itself (@sctg/sentencepiece-js, the C++ library in wasm).
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/models/albert/tokenization_albert.py (_tokenize)
import type { SentencePieceProcessor } from '@sctg/sentencepiece-js';

const SPIECE_UNDERLINE = '\u2581';

/** transformers 4.x AlbertTokenizer._tokenize around sentencepiece's pieces (the re-split of `9,` pieces). */
export function referencePieces(sp: SentencePieceProcessor, preprocessed: string): string[] {
  const out: string[] = [];
  for (const piece of sp.encodePieces(preprocessed)) {
    const chars = Array.from(piece);
    // Python's str.isdigit(): the decimal digits plus superscripts, circled digits … (\p{Nd} and No digits).
    if (chars.length > 1 && chars.at(-1) === ',' && /[\p{Nd}\p{No}]/u.test(chars.at(-2)!)) {
      let cur = sp.encodePieces(chars.slice(0, -1).join('').replaceAll(SPIECE_UNDERLINE, ''));
      if (chars[0] !== SPIECE_UNDERLINE && cur[0]?.startsWith(SPIECE_UNDERLINE)) {
        if (cur[0].length === 1) cur = cur.slice(1);
        else cur[0] = cur[0].slice(1);
      }
      out.push(...cur, ',');
    } else out.push(piece);
  }
  return out;
}
