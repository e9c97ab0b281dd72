// transformers' add_tokens / add_special_tokens: AddedToken options (single_word, lstrip, rstrip, normalized, special),
// ids after the model vocabulary (or the vocabulary's id when the token is already a piece, as tokenizers does), and
// how they are saved: tokenizer.json `added_tokens`, tokenizer_config.json `added_tokens_decoder`
// ({"<id>": {content, lstrip, normalized, rstrip, single_word, special}}) and added_tokens.json ({content: id} of
// the tokens beyond the vocabulary).
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/tokenization_utils_base.py (add_tokens, save_pretrained)
import { TokenizerInputError } from './errors.js';
import type { AddedToken } from './pipeline/added-vocabulary.js';

/** What add_tokens accepts: a string, or AddedToken fields. */
export interface AddedTokenInit {
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  /** Default: not special (transformers: normalized = not special). */
  normalized?: boolean;
  special?: boolean;
}

/** The AddedToken transformers makes of `t` (`special` for add_special_tokens). */
export function toAddedToken(t: string | AddedTokenInit, special: boolean, id: number): AddedToken {
  const init = typeof t === 'string' ? { content: t } : t;
  if (typeof init?.content !== 'string' || init.content === '')
    throw new TokenizerInputError(`an added token needs non-empty content, got ${JSON.stringify(t)}`);
  const sp = init.special ?? special;
  return {
    id,
    content: init.content,
    single_word: init.single_word ?? false,
    lstrip: init.lstrip ?? false,
    rstrip: init.rstrip ?? false,
    normalized: init.normalized ?? !sp,
    special: sp,
  };
}

/**
 * The tokens of `tokens` not yet in `existing` as AddedTokens with ids: a vocabulary piece keeps its id, others
 * get the next id after max(vocabSize, the largest added id + 1).
 */
export function newAddedTokens(
  tokens: ReadonlyArray<string | AddedTokenInit>,
  special: boolean,
  existing: ReadonlyMap<string, AddedToken>,
  vocabSize: number,
  pieceId: (content: string) => number | undefined,
): AddedToken[] {
  if (!Array.isArray(tokens))
    throw new TokenizerInputError(`addTokens expects an array of tokens, got ${JSON.stringify(tokens)}`);
  let next = Math.max(vocabSize, ...[...existing.values()].map((t) => t.id + 1));
  const out: AddedToken[] = [];
  const seen = new Set(existing.keys());
  for (const t of tokens) {
    const content = typeof t === 'string' ? t : t?.content;
    if (typeof content === 'string' && seen.has(content)) continue;
    const id = (typeof content === 'string' ? pieceId(content) : undefined) ?? next;
    const tok = toAddedToken(t, special, id);
    if (id === next) next++;
    seen.add(tok.content);
    out.push(tok);
  }
  return out;
}

/** tokenizer_config.json's added_tokens_decoder. */
export function addedTokensDecoder(tokens: readonly AddedToken[]): Record<string, Omit<AddedToken, 'id'>> {
  return Object.fromEntries(
    [...tokens]
      .sort((a, b) => a.id - b.id)
      .map(({ id, content, lstrip, normalized, rstrip, single_word, special }) => [
        String(id),
        { content, lstrip, normalized, rstrip, single_word, special },
      ]),
  );
}

/** added_tokens.json: the added tokens beyond the model vocabulary, content → id. */
export function addedTokensJson(tokens: readonly AddedToken[], vocabSize: number): Record<string, number> {
  return Object.fromEntries(tokens.filter((t) => t.id >= vocabSize).map((t) => [t.content, t.id]));
}

/** Added tokens of a tokenizer_config.json's added_tokens_decoder. */
export function parseAddedTokensDecoder(raw: unknown): AddedToken[] {
  if (!raw || typeof raw !== 'object') return [];
  return Object.entries(raw as Record<string, Partial<AddedToken>>).map(([id, t]) =>
    toAddedToken({ ...t, content: String(t.content) }, t.special === true, Number(id)),
  );
}

/** `add_special_tokens({additional_special_tokens})` on top of a tokenizer's `addTokens`; records the names in `names`. */
export function addSpecialTokensWith(
  map: { additional_special_tokens: ReadonlyArray<string | AddedTokenInit> },
  addTokens: (tokens: ReadonlyArray<string | AddedTokenInit>, special: boolean) => number,
  names: string[],
): number {
  const list = map?.additional_special_tokens;
  const n = addTokens(list, true);
  for (const t of list) {
    const c = typeof t === 'string' ? t : t.content;
    if (!names.includes(c)) names.push(c);
  }
  return n;
}

/** `len(tokenizer)`: the vocabulary with the added tokens beyond it. */
export function lengthWithAdded(vocabSize: number, tokens: Iterable<AddedToken>): number {
  return Math.max(vocabSize, ...[...tokens].map((t) => t.id + 1));
}

/** additional_special_tokens of a tokenizer_config.json (strings or AddedToken objects). */
export function additionalSpecialTokensOf(raw: Record<string, unknown>): string[] {
  const v = raw.additional_special_tokens;
  return Array.isArray(v)
    ? v.map((t) => (typeof t === 'string' ? t : String((t as { content?: unknown }).content)))
    : [];
}
