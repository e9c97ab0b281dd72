// tokenizers' Pattern for Replace/Split: a literal string or a regex ({"String": ...} / {"Regex": ...}).
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/utils/pattern.rs
import { show, TokenizerFileError } from '../errors.js';

export interface ReplacePattern {
  json: { String: string } | { Regex: string };
  regex: RegExp;
  /** The literal, for String patterns (searched with indexOf). */
  literal?: string;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function parsePattern(json: unknown, where: string): ReplacePattern {
  const o = json as Record<string, unknown> | null;
  if (o && typeof o.String === 'string')
    return { json: { String: o.String }, regex: new RegExp(escapeRegex(o.String), 'gu'), literal: o.String };
  if (o && typeof o.Regex === 'string') {
    try {
      return { json: { Regex: o.Regex }, regex: new RegExp(o.Regex, 'gu') };
    } catch (e) {
      throw new TokenizerFileError(`${where}: regex ${show(o.Regex)} is not supported: ${(e as Error).message}`);
    }
  }
  throw new TokenizerFileError(`${where}: pattern ${show(json)} is neither {"String": …} nor {"Regex": …}`);
}

/** Converts increasing UTF-16 indices of one text into code point indices, in one pass overall. */
class CodePointCursor {
  private u16 = 0;
  private cp = 0;
  constructor(private readonly text: string) {}
  at(u16: number): number {
    const t = this.text;
    let cp = this.cp;
    for (let i = this.u16; i < u16; i++) {
      const c = t.charCodeAt(i);
      // a low surrogate after a high one is the same code point
      if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && t.charCodeAt(i - 1) >= 0xd800 && t.charCodeAt(i - 1) <= 0xdbff))
        cp++;
    }
    this.u16 = u16;
    this.cp = cp;
    return cp;
  }
}

/**
 * Runs covering `text` as [start, end, isMatch] in code point indices (tokenizers' find_matches): matches of the
 * pattern (empty matches ignored) and the text between them.
 */
export function findMatches(text: string, pattern: ReplacePattern): Array<[number, number, boolean]> {
  const cursor = new CodePointCursor(text);
  const runs: Array<[number, number, boolean]> = [];
  let lastEnd = 0;
  const lit = pattern.literal;
  const re = pattern.regex;
  re.lastIndex = 0;
  let pos = 0;
  for (;;) {
    let index: number;
    let length: number;
    if (lit !== undefined) {
      if (lit.length === 0) break;
      index = text.indexOf(lit, pos);
      if (index < 0) break;
      length = lit.length;
      pos = index + length;
    } else {
      const m = re.exec(text);
      if (m === null) break;
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      index = m.index;
      length = m[0].length;
    }
    const s = cursor.at(index);
    const e = cursor.at(index + length);
    if (lastEnd < s) runs.push([lastEnd, s, false]);
    runs.push([s, e, true]);
    lastEnd = e;
  }
  const total = cursor.at(text.length);
  if (lastEnd < total) runs.push([lastEnd, total, false]);
  return runs;
}
