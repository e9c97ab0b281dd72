// tokenizers' AddedVocabulary: added tokens are cut out of the text before the model runs, non-normalized ones on the
// original text, normalized ones on the normalized text; lstrip / rstrip take the whitespace around them, single_word
// only matches whole words. https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/tokenizer/added_vocabulary.rs

import { PieceTrie } from '../models/piece-trie.js';
import type { Normalizer } from '../normalizers/normalizer.js';
import { type CodePointArray, codePoints, isRustWhitespace } from '../unicode.js';
import { NormalizedString } from './normalized-string.js';
import { PreTokenizedString, type Split } from './pre-tokenized-string.js';

export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const isWordChar = (cp: number): boolean => WORD.test(String.fromCodePoint(cp));

class Matcher {
  readonly trie = new PieceTrie();
  readonly tokens: AddedToken[] = [];
  add(pattern: CodePointArray, token: AddedToken): void {
    if (pattern.length === 0) return;
    this.trie.insert(pattern, this.tokens.length);
    this.tokens.push(token);
  }
  get empty(): boolean {
    return this.tokens.length === 0;
  }
}

export class AddedVocabulary {
  private readonly raw = new Matcher();
  private readonly normalizedMatcher = new Matcher();
  readonly byContent = new Map<string, AddedToken>();
  readonly byId = new Map<number, AddedToken>();
  /** When true, special tokens in the text are not split out (transformers' split_special_tokens). */
  encodeSpecialTokens = false;

  constructor(
    readonly tokens: AddedToken[],
    normalizer: Normalizer | undefined,
  ) {
    for (const t of tokens) {
      this.byContent.set(t.content, t);
      this.byId.set(t.id, t);
      if (t.normalized && normalizer) {
        const ns = NormalizedString.fromText(t.content);
        normalizer.normalize(ns);
        this.normalizedMatcher.add(ns.cps, t);
      } else if (t.normalized) this.normalizedMatcher.add(codePoints(t.content), t);
      else this.raw.add(codePoints(t.content), t);
    }
  }

  isSpecial(id: number): boolean {
    return this.byId.get(id)?.special === true;
  }

  /** Leftmost-longest matches as [start, end, token] on cps, after lstrip/rstrip/single_word (find_matches). */
  private findMatches(cps: CodePointArray, m: Matcher): Array<[number, number, AddedToken | undefined]> {
    const n = cps.length;
    const out: Array<[number, number, AddedToken | undefined]> = [];
    if (m.empty) return [[0, n, undefined]];
    const { trie } = m;
    const values = trie.values;
    let startOffset = 0;
    let i = 0;
    while (i < n) {
      let node = 0;
      let best = -1;
      let bestEnd = -1;
      for (let j = i; j < n; j++) {
        const next = trie.next(node, cps[j]!);
        if (next < 0) break;
        node = next;
        if (values[node]! >= 0) {
          best = values[node]!;
          bestEnd = j + 1;
        }
      }
      if (best < 0) {
        i++;
        continue;
      }
      const token = m.tokens[best]!;
      let start = i;
      let stop = bestEnd;
      i = bestEnd;
      if (this.encodeSpecialTokens && token.special) continue;
      if (token.single_word) {
        const startSpace = start === 0 || !isWordChar(cps[start - 1]!);
        const stopSpace = stop === n || !isWordChar(cps[stop]!);
        if (!startSpace || !stopSpace) continue;
      }
      if (token.lstrip) {
        let ns = start;
        while (ns > 0 && isRustWhitespace(cps[ns - 1]!)) ns--;
        start = Math.max(ns, startOffset);
      }
      if (token.rstrip) while (stop < n && isRustWhitespace(cps[stop]!)) stop++;
      if (startOffset < start) out.push([startOffset, start, undefined]);
      out.push([start, stop, token]);
      startOffset = stop;
      i = Math.max(i, stop);
    }
    if (startOffset !== n) out.push([startOffset, n, undefined]);
    return out;
  }

  private splitWithIndices(ns: NormalizedString, m: Matcher): Split[] {
    const matches = this.findMatches(ns.cps, m);
    // No added token: the string stays whole (no copy).
    if (matches.length === 1 && matches[0]![2] === undefined && matches[0]![0] === 0 && matches[0]![1] === ns.length)
      return [{ normalized: ns }];
    return matches.map(([s, e, tok]) => {
      const slice = ns.slice(s, e);
      return tok
        ? { normalized: slice, tokens: [{ id: tok.id, value: tok.content, start: 0, end: e - s }] }
        : { normalized: slice };
    });
  }

  /** Splits out added tokens, normalizing the rest (extract_and_normalize); `shift`: the text's first code point index. */
  extractAndNormalize(normalizer: Normalizer | undefined, text: string, shift = 0): PreTokenizedString {
    const pts = new PreTokenizedString([{ normalized: NormalizedString.fromText(text, shift) }]);
    pts.split((_i, ns) => this.splitWithIndices(ns, this.raw));
    pts.split((_i, ns) => {
      normalizer?.normalize(ns);
      return this.splitWithIndices(ns, this.normalizedMatcher);
    });
    return pts;
  }
}
