// BERT's BasicTokenizer: clean the text (drop NUL, U+FFFD and control characters, whitespace → space), put spaces
// around CJK ideographs, split on whitespace, lower-case and strip accents (NFD, drop Mn), split punctuation.
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/tokenization_bert.py (BasicTokenizer)

export interface BasicTokenizerOptions {
  doLowerCase: boolean;
  /** undefined: follows doLowerCase, as in transformers. */
  stripAccents?: boolean;
  tokenizeChineseChars: boolean;
  neverSplit?: Iterable<string>;
}

const isWhitespace = (ch: string): boolean =>
  ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /\p{Zs}/u.test(ch);
const isControl = (ch: string): boolean => ch !== '\t' && ch !== '\n' && ch !== '\r' && /\p{C}/u.test(ch);
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
    return true;
  return /\p{P}/u.test(ch);
}
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export class BasicTokenizer {
  private readonly neverSplit: Set<string>;
  constructor(readonly options: BasicTokenizerOptions) {
    this.neverSplit = new Set(options.neverSplit ?? []);
  }

  private clean(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      out += isWhitespace(ch) ? ' ' : ch;
    }
    return out;
  }

  private chinese(text: string): string {
    let out = '';
    for (const ch of text) out += isChineseChar(ch.codePointAt(0)!) ? ` ${ch} ` : ch;
    return out;
  }

  private splitPunctuation(word: string): string[] {
    if (this.neverSplit.has(word)) return [word];
    const out: string[] = [];
    let cur = '';
    for (const ch of word) {
      if (isPunctuation(ch)) {
        if (cur) out.push(cur);
        out.push(ch);
        cur = '';
      } else cur += ch;
    }
    if (cur) out.push(cur);
    return out;
  }

  tokenize(text: string): string[] {
    let t = this.clean(text);
    if (this.options.tokenizeChineseChars) t = this.chinese(t);
    // unicodedata.normalize("NFC", text) before splitting, as transformers does
    t = t.normalize('NFC');
    const strip = this.options.stripAccents ?? this.options.doLowerCase;
    const out: string[] = [];
    for (let word of t.split(' ').filter((w) => w.length > 0)) {
      if (!this.neverSplit.has(word)) {
        if (this.options.doLowerCase) word = word.toLowerCase();
        if (strip) word = word.normalize('NFD').replace(/\p{Mn}/gu, '');
      }
      out.push(...this.splitPunctuation(word));
    }
    return out
      .join(' ')
      .split(' ')
      .filter((w) => w.length > 0);
  }
}
