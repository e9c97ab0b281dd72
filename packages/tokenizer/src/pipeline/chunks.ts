// Long texts are encoded in chunks, so that every stage works on a few thousand characters at a time (arrays that stay
// in cache and die young) and a 10 MB text costs ten times a 1 MB one. tokenizers encodes the whole text at once; a
// chunked encoding is the same only where every stage is local, so chunks are cut at an isolated ASCII space — `a b`,
// both neighbours printable ASCII other than space — and only for the pipelines where that cut changes nothing:
// - added tokens: matched by a trie (leftmost-longest); a match cannot cover the space when no token contains
//   whitespace, lstrip from the right chunk stops at the non-space on its left, and rstrip (which would take the space
//   into the left chunk's token) is refused;
// - normalizers: NFD/NFKD/NFC/NFKC (a space is a starter: no reordering or composition across it), StripAccents,
//   Lowercase (per character), Precompiled (per grapheme; a space between two ASCII characters is a grapheme boundary),
//   Replace of a literal without whitespace by a non-empty text without whitespace, and Replace of ` {2,}` (the run
//   around an isolated space is that space alone); every printable ASCII character must stay non-empty and
//   whitespace-free through the whole normalizer and the space must stay a space (checked once, below);
// - pre-tokenizers: Metaspace with split (the space becomes ▁ and opens a word; the right chunk starts with it, so
//   no ▁ is prepended) and WhitespaceSplit, alone or in a Sequence;
// - the model runs per word, so no token crosses the cut.
// packages/parity-tests/test/tokenizer-long-text.test.ts compares chunked and whole-text encodings (ids and offsets)
// with tokenizers (Rust) on whole corpus files.
import { LowercaseNormalizer } from '../normalizers/lowercase.js';
import type { Normalizer } from '../normalizers/normalizer.js';
import { PrecompiledNormalizer } from '../normalizers/precompiled.js';
import { ReplaceNormalizer } from '../normalizers/replace.js';
import { SequenceNormalizer } from '../normalizers/sequence.js';
import { StripAccentsNormalizer } from '../normalizers/strip-accents.js';
import { UnicodeNormalizer } from '../normalizers/unicode-forms.js';
import { MetaspacePreTokenizer } from '../pre-tokenizers/metaspace.js';
import type { PreTokenizer } from '../pre-tokenizers/pre-tokenizer.js';
import { SequencePreTokenizer } from '../pre-tokenizers/sequence.js';
import { WhitespaceSplitPreTokenizer } from '../pre-tokenizers/whitespace-split.js';
import { isRustWhitespace } from '../unicode.js';
import type { AddedToken } from './added-vocabulary.js';
import { NormalizedString } from './normalized-string.js';

/** Characters (UTF-16 units) per chunk, about: the cut is the first isolated space from there on. */
export const CHUNK_CHARS = 4096;

const hasWhitespace = (s: string): boolean => {
  for (const ch of s) if (isRustWhitespace(ch.codePointAt(0)!)) return true;
  return false;
};

function localNormalizer(n: Normalizer): boolean {
  if (n instanceof SequenceNormalizer) return n.normalizers.every(localNormalizer);
  if (n instanceof ReplaceNormalizer) {
    const p = n.pattern;
    if (p.literal !== undefined)
      return p.literal !== '' && !hasWhitespace(p.literal) && n.content !== '' && !hasWhitespace(n.content);
    return 'Regex' in p.json && p.json.Regex === ' {2,}';
  }
  return (
    n instanceof UnicodeNormalizer ||
    n instanceof StripAccentsNormalizer ||
    n instanceof LowercaseNormalizer ||
    n instanceof PrecompiledNormalizer
  );
}

function localPreTokenizer(p: PreTokenizer): boolean {
  if (p instanceof SequencePreTokenizer) return p.preTokenizers.length > 0 && p.preTokenizers.every(localPreTokenizer);
  return (p instanceof MetaspacePreTokenizer && p.splitWords) || p instanceof WhitespaceSplitPreTokenizer;
}

function normalized(normalizer: Normalizer | undefined, s: string): string {
  const ns = NormalizedString.fromText(s);
  normalizer?.normalize(ns);
  return ns.get();
}

/** Whether texts may be encoded in chunks with this normalizer, pre-tokenizer and these added tokens (see above). */
export function chunkable(
  normalizer: Normalizer | undefined,
  preTokenizer: PreTokenizer | undefined,
  added: readonly AddedToken[],
): boolean {
  if (preTokenizer === undefined || !localPreTokenizer(preTokenizer)) return false;
  if (normalizer !== undefined && !localNormalizer(normalizer)) return false;
  if (normalized(normalizer, ' ') !== ' ') return false;
  for (let c = 0x21; c < 0x7f; c++) {
    const out = normalized(normalizer, String.fromCharCode(c));
    if (out === '' || hasWhitespace(out)) return false;
  }
  for (const t of added) {
    if (t.rstrip || hasWhitespace(t.content)) return false;
    if (t.normalized && hasWhitespace(normalized(normalizer, t.content))) return false;
  }
  return true;
}

const printable = (c: number): boolean => c > 0x20 && c < 0x7f;

/**
 * Where to cut a text (UTF-16 indices of isolated spaces, increasing; each starts the next chunk), about every
 * `size` units; [] for a text too short to cut.
 */
export function chunkCuts(text: string, size = CHUNK_CHARS): number[] {
  const cuts: number[] = [];
  const n = text.length;
  let i = size;
  while (i < n - 1) {
    if (text.charCodeAt(i) === 0x20 && printable(text.charCodeAt(i - 1)) && printable(text.charCodeAt(i + 1))) {
      cuts.push(i);
      i += size;
    } else i++;
  }
  return cuts;
}
