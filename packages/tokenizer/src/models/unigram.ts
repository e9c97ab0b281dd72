// tokenizers' Unigram model: every vocabulary entry is a candidate piece, consecutive unknown pieces are fused into
// one token whose value is the text they cover, byte fallback splits unknown text into <0xXX> pieces.
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/unigram/model.rs
import { TokenizerFileError } from '../errors.js';
import type { Token } from '../pipeline/pre-tokenized-string.js';
import { type CodePointArray, codePoints } from '../unicode.js';
import { viterbi } from './lattice.js';
import { PieceTrie } from './piece-trie.js';

const K_UNK_PENALTY = 10;

function surface(cps: CodePointArray, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCodePoint(cps[i]!);
  return s;
}
const encoder = new TextEncoder();

export class UnigramModel {
  private readonly trie = new PieceTrie();
  private readonly scores: Float64Array;
  private readonly tokenToId = new Map<string, number>();
  private readonly unkScore: number;

  constructor(
    readonly vocab: ReadonlyArray<readonly [string, number]>,
    readonly unkId: number | null,
    readonly byteFallback: boolean,
  ) {
    if (vocab.length === 0) throw new TokenizerFileError('Unigram model: the vocabulary is empty');
    if (unkId !== null && (unkId < 0 || unkId >= vocab.length))
      throw new TokenizerFileError(`Unigram model: unk_id ${unkId} is outside the ${vocab.length}-piece vocabulary`);
    this.scores = new Float64Array(vocab.length);
    let minScore = Number.POSITIVE_INFINITY;
    vocab.forEach(([piece, score], id) => {
      this.tokenToId.set(piece, id);
      this.scores[id] = score;
      this.trie.insert(codePoints(piece), id);
      if (score < minScore) minScore = score;
    });
    this.unkScore = minScore - K_UNK_PENALTY;
  }

  get vocabSize(): number {
    return this.vocab.length;
  }

  tokenToIdOf(token: string): number | undefined {
    return this.tokenToId.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id]?.[0];
  }

  /** Tokens of one pre-tokenized split (its code points), offsets in those code points. */
  tokenize(cps: CodePointArray): Token[] {
    if (cps.length === 0) return [];
    const unkId = this.unkId ?? -1;
    const { ids, starts } = viterbi(cps, {
      trie: this.trie,
      scores: this.scores,
      unkId,
      unkScore: this.unkScore,
      float32: false,
    });
    const out: Token[] = [];
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      const start = starts[i]!;
      let id = ids[i]!;
      let end = i + 1 < n ? starts[i + 1]! : cps.length;
      let fused = false;
      if (id === unkId && unkId >= 0) {
        while (i + 1 < n && ids[i + 1] === unkId) {
          i++;
          end = i + 1 < n ? starts[i + 1]! : cps.length;
          fused = true;
        }
      }
      const value = fused || id === unkId ? surface(cps, start, end) : this.vocab[id]![0];
      if (fused || id === unkId) {
        const known = this.tokenToId.get(value);
        if (known !== undefined) id = known;
        else if (this.byteFallback) {
          const byteIds = Array.from(encoder.encode(value), (b) =>
            this.tokenToId.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
          );
          if (byteIds.every((b) => b !== undefined)) {
            byteIds.forEach((b) => {
              out.push({ id: b!, value: this.vocab[b!]![0], start, end });
            });
            continue;
          }
        }
        if (known === undefined) {
          if (this.unkId === null) throw new TokenizerFileError('Unigram model: text needs the unknown token but the model has no unk_id');
          id = this.unkId;
        }
      }
      out.push({ id, value, start, end });
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Unigram', unk_id: this.unkId, vocab: this.vocab.map(([p, s]) => [p, s]), byte_fallback: this.byteFallback };
  }
}
