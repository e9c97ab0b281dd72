// tokenizers' Unigram model: every vocabulary entry is a candidate piece, consecutive unknown pieces are fused into
// one token whose value is the text they cover, byte fallback splits unknown text into <0xXX> pieces.
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/unigram/model.rs
import { TokenizerFileError } from '../errors.js';
import { type CodePointArray, codePoints } from '../unicode.js';
import { type ViterbiScoring, viterbi } from './lattice.js';
import { PieceTrie } from './piece-trie.js';

const K_UNK_PENALTY = 10;

function surface(cps: CodePointArray, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCodePoint(cps[i]!);
  return s;
}
const encoder = new TextEncoder();

/** Receives the tokens of a split. */
export interface TokenSink {
  token(id: number, value: string, start: number, end: number): void;
}

export class UnigramModel {
  private readonly trie = new PieceTrie();
  private readonly scores: Float64Array;
  private readonly tokenToId = new Map<string, number>();
  private readonly unkScore: number;
  private readonly scoring: ViterbiScoring;

  constructor(
    readonly vocab: ReadonlyArray<readonly [string, number]>,
    readonly unkId: number | null,
    readonly byteFallback: boolean,
    /** The score the Viterbi uses for a vocabulary score (tokenizers' serde_json reading); toJSON keeps the given one. */
    readScore: (score: number) => number = (x) => x,
  ) {
    if (vocab.length === 0) throw new TokenizerFileError('Unigram model: the vocabulary is empty');
    if (unkId !== null && (unkId < 0 || unkId >= vocab.length))
      throw new TokenizerFileError(`Unigram model: unk_id ${unkId} is outside the ${vocab.length}-piece vocabulary`);
    this.scores = new Float64Array(vocab.length);
    let minScore = Number.POSITIVE_INFINITY;
    vocab.forEach(([piece, score], id) => {
      this.tokenToId.set(piece, id);
      this.scores[id] = readScore(score);
      this.trie.insert(codePoints(piece), id);
      if (this.scores[id]! < minScore) minScore = this.scores[id]!;
    });
    this.unkScore = minScore - K_UNK_PENALTY;
    this.scoring = {
      trie: this.trie,
      scores: this.scores,
      unkId: unkId ?? -1,
      unkScore: this.unkScore,
      float32: false,
    };
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

  /**
   * Tokens of one pre-tokenized split, the code points cps[from, to): sink.token(id, value, start, end) per token, offsets
   * as indices into cps.
   */
  tokenize(cps: CodePointArray, sink: TokenSink, from = 0, to = cps.length): void {
    if (to <= from) return;
    const unkId = this.unkId ?? -1;
    const path = viterbi(cps, this.scoring, from, to);
    const n = path.length;
    const { ids, starts } = path;
    for (let i = 0; i < n; i++) {
      const start = starts[i]!;
      const id = ids[i]!;
      let end = i + 1 < n ? starts[i + 1]! : to;
      if (id < 0)
        throw new TokenizerFileError('Unigram model: text needs the unknown token but the model has no unk_id');
      if (id !== unkId) {
        sink.token(id, this.vocab[id]![0], start, end);
        continue;
      }
      // Consecutive unknown pieces fuse into one token whose value is the text they cover.
      while (i + 1 < n && ids[i + 1] === unkId) {
        i++;
        end = i + 1 < n ? starts[i + 1]! : to;
      }
      const value = surface(cps, start, end);
      const known = this.tokenToId.get(value);
      if (known !== undefined) {
        sink.token(known, value, start, end);
        continue;
      }
      if (this.byteFallback) {
        const byteIds = Array.from(encoder.encode(value), (b) =>
          this.tokenToId.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
        );
        if (byteIds.every((b) => b !== undefined)) {
          for (const b of byteIds) sink.token(b!, this.vocab[b!]![0], start, end);
          continue;
        }
      }
      sink.token(unkId, value, start, end);
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'Unigram',
      unk_id: this.unkId,
      vocab: this.vocab.map(([p, s]) => [p, s]),
      byte_fallback: this.byteFallback,
    };
  }
}
