// @albertjs/tokenizer's AlbertTokenizerFast seen through the PipelineTokenizer interface: one call with
// offsets, special-token masks, sequence ids and overflow windows, offsets turned from code points into
// JavaScript string indices, and the word ids HF's pipelines use to widen answers to whole words.
import { type HubOptions, InputError } from '@albertjs/core';
import { AlbertTokenizerFast, type Encoding as TokEncoding } from '@albertjs/tokenizer';
import type { EncodeOptions, Encoding, PipelineTokenizer } from './tokenizer.js';

/**
 * Loads `dir`'s tokenizer.json (or spiece.model) with its tokenizer_config.json, running the pipeline
 * transformers 5 builds from it (as its pipelines do): word offsets exclude the leading space, so NER
 * entities and QA answers start on the word, not on the space before it.
 */
export async function loadTokenizer(dir: string, hub: HubOptions = {}): Promise<PipelineTokenizer> {
  return fromAlbertTokenizer(await AlbertTokenizerFast.fromPretrained(dir, { ...hub, ...PIPELINE_TOKENIZER_OPTIONS }));
}

/** The AlbertTokenizerFast options every pipeline tokenizer is built with (see loadTokenizer). */
export const PIPELINE_TOKENIZER_OPTIONS = { pipeline: 'transformers-v5' } as const;

/** Code-point offset → UTF-16 index, for texts with characters outside the BMP. */
function codePointIndex(text: string): (cp: number) => number {
  if (!/[\uD800-\uDBFF]/.test(text)) return (cp) => cp;
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return (cp) => map[cp] ?? u;
}

function required(name: string, id: number | undefined): number {
  if (id === undefined) throw new InputError(`the tokenizer has no ${name} in its vocabulary`);
  return id;
}

export function fromAlbertTokenizer(tok: AlbertTokenizerFast): PipelineTokenizer {
  const ids = {
    padTokenId: required('pad token', tok.padTokenId),
    maskTokenId: required('mask token', tok.maskTokenId),
    clsTokenId: required('cls token', tok.clsTokenId),
    sepTokenId: required('sep token', tok.sepTokenId),
    unkTokenId: required('unk token', tok.unkTokenId),
  };
  const toEncoding = (e: TokEncoding, texts: string[]): Encoding => {
    const maps = texts.map(codePointIndex);
    // Metaspace words: a piece starting with ▁ opens a word; special and added tokens stand alone.
    const wordIds: (number | null)[] = [];
    let word = -1;
    let prevSeq: number | null = null;
    let afterSpecial = false;
    e.ids.forEach((id, i) => {
      const seq = e.sequenceIds[i] ?? null;
      if (seq === null || e.specialTokensMask[i] || tok.isSpecialId(id)) {
        wordIds.push(seq === null ? null : ++word);
        afterSpecial = true;
        return;
      }
      if (seq !== prevSeq) word = -1; // word ids restart in the second sequence, as in tokenizers
      if (word < 0 || afterSpecial || (e.tokens[i] ?? '').startsWith('▁')) word++;
      wordIds.push(word);
      prevSeq = seq;
      afterSpecial = false;
    });
    return {
      input_ids: [...e.ids],
      token_type_ids: [...e.typeIds],
      attention_mask: [...e.attentionMask],
      special_tokens_mask: [...e.specialTokensMask],
      offsets: e.offsets.map(([s, t], i) => {
        const m = maps[e.sequenceIds[i] ?? 0];
        return m ? [m(s), m(t)] : [s, t];
      }),
      sequence_ids: [...e.sequenceIds],
      word_ids: wordIds,
    };
  };
  return {
    ...ids,
    maskToken: tok.specialTokens.mask_token ?? '[MASK]',
    encode(text: string, o: EncodeOptions = {}): Encoding[] {
      const r = tok.call(text, {
        ...(o.textPair !== undefined ? { textPair: o.textPair } : {}),
        truncation: o.truncation ? o.truncation : false,
        ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
        ...(o.stride !== undefined ? { stride: o.stride } : {}),
        returnOverflowingTokens: o.returnOverflowingTokens ?? false,
        returnOffsetsMapping: true,
        returnSpecialTokensMask: true,
        returnTokenTypeIds: true,
      });
      const texts = o.textPair !== undefined ? [text, o.textPair] : [text];
      return r.encodings.map((e) => toEncoding(e, texts));
    },
    encodeIds: (text) => tok.encode(text, { addSpecialTokens: false }),
    tokenToId: (token) => tok.tokenToId(token),
    convertIdsToTokens: (list) => tok.convertIdsToTokens(list),
    // the Metaspace decoder: ▁ back to spaces, the first one dropped
    convertTokensToString: (tokens) => tokens.join('').replaceAll('▁', ' ').replace(/^ /, ''),
    decode: (list, o = {}) => tok.decode(list, { skipSpecialTokens: o.skipSpecialTokens ?? false }),
  };
}
