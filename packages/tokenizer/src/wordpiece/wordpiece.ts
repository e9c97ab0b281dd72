// WordPiece: greedy longest-match-first over the vocabulary, continuation pieces prefixed "##", words longer than
// max_input_chars_per_word become the unknown token.
// https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/tokenization_bert.py (WordpieceTokenizer)
export class WordPiece {
  constructor(
    readonly vocab: ReadonlyMap<string, number>,
    readonly unkToken: string,
    readonly maxInputCharsPerWord = 100,
  ) {}

  tokenize(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > this.maxInputCharsPerWord) return [this.unkToken];
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      while (start < end) {
        let sub = chars.slice(start, end).join('');
        if (start > 0) sub = `##${sub}`;
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === undefined) return [this.unkToken];
      out.push(found);
      start = end;
    }
    return out;
  }
}
