// tokenizers' Pattern for Replace/Split: a literal string or a regex ({"String": ...} / {"Regex": ...}).
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/utils/pattern.rs
import { TokenizerFileError } from '../errors.js';

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
      throw new TokenizerFileError(
        `${where}: regex ${JSON.stringify(o.Regex)} is not supported: ${(e as Error).message}`,
      );
    }
  }
  throw new TokenizerFileError(`${where}: pattern ${JSON.stringify(json)} is neither {"String": …} nor {"Regex": …}`);
}

/**
 * Runs covering `text` as [start, end, isMatch] in code point indices (tokenizers' find_matches): matches of the
 * pattern (empty matches ignored) and the text between them.
 */
export function findMatches(text: string, pattern: ReplacePattern): Array<[number, number, boolean]> {
  const re = pattern.regex;
  re.lastIndex = 0;
  const runs: Array<[number, number, boolean]> = [];
  let prevU16 = 0;
  let prevCp = 0;
  const cpIndex = (u16: number): number => {
    // advance prevCp from prevU16 to u16
    let cp = prevCp;
    for (let i = prevU16; i < u16; i++) {
      const c = text.charCodeAt(i);
      if (
        !(c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)
      )
        cp++;
    }
    prevU16 = u16;
    prevCp = cp;
    return cp;
  };
  let lastEnd = 0;
  const add = (index: number, length: number) => {
    const s = cpIndex(index);
    const e = cpIndex(index + length);
    if (lastEnd < s) runs.push([lastEnd, s, false]);
    runs.push([s, e, true]);
    lastEnd = e;
  };
  const lit = pattern.literal;
  if (lit !== undefined) {
    if (lit.length > 0)
      for (let i = text.indexOf(lit); i >= 0; i = text.indexOf(lit, i + lit.length)) add(i, lit.length);
  } else
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      add(m.index, m[0].length);
    }
  const total = cpIndex(text.length);
  if (lastEnd < total) runs.push([lastEnd, total, false]);
  return runs;
}
