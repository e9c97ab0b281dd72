// SentencePieceProcessor for unigram models: normalize, Viterbi, then pieces with consecutive unknowns merged and
// byte fallback. https://github.com/google/sentencepiece/blob/master/src/sentencepiece_processor.cc (Encode,
// PopulateSentencePieceText) and unigram_model.cc (EncodeOptimized).
import { TokenizerFileError } from '../errors.js';
import { viterbi } from '../models/lattice.js';
import { PieceTrie } from '../models/piece-trie.js';
import { codePoints } from '../unicode.js';
import { PrecompiledCharsmap } from './charsmap.js';
import { type ModelProto, PieceType, parseModelProto } from './model-proto.js';
import { SentencePieceNormalizer } from './normalizer.js';

const K_UNK_PENALTY = 10;
const FLT_MIN = 1.1754943508222875e-38;
const FLT_MAX = 3.4028234663852886e38;
const encoder = new TextEncoder();

/**
 * Which sentencepiece release's tie-breaking to follow: equal-score segmentations (`0 00` / `00 0`) are resolved by
 * float rounding, and 0.2.x (pip today, the fixtures') sums path scores in float where 0.1.x (Debian's 0.1.97, the
 * wasm build in @sctg/sentencepiece-js) compares them in double.
 */
export type SentencePieceVersion = '0.2' | '0.1';

export interface EncodedPiece {
  piece: string;
  id: number;
}

export class SentencePieceProcessor {
  readonly model: ModelProto;
  readonly normalizer: SentencePieceNormalizer;
  readonly unkId: number;
  private readonly trie = new PieceTrie();
  private readonly scores: Float32Array;
  private readonly userDefined: Uint8Array;
  private readonly pieceToIdMap = new Map<string, number>();
  private readonly unkScore: number;
  private readonly maxScore: number;

  /** Loads a serialized ModelProto (the bytes of spiece.model). */
  constructor(
    readonly serialized: Uint8Array,
    source = 'spiece.model',
    readonly version: SentencePieceVersion = '0.2',
  ) {
    if (version !== '0.2' && version !== '0.1')
      throw new TokenizerFileError(`sentencepiece version ${JSON.stringify(version)} is not one of '0.2', '0.1'`);
    const model = parseModelProto(serialized, source);
    this.model = model;
    const n = model.pieces.length;
    this.scores = new Float32Array(n);
    this.userDefined = new Uint8Array(n);
    let minScore = FLT_MAX;
    let maxScore = FLT_MIN;
    let unkId = -1;
    const userSymbols: string[] = [];
    model.pieces.forEach((p, id) => {
      this.scores[id] = p.score;
      this.pieceToIdMap.set(p.piece, id);
      if (p.type === PieceType.UNKNOWN) {
        if (unkId >= 0) throw new TokenizerFileError(`${source}: two unknown pieces (ids ${unkId} and ${id})`);
        unkId = id;
      }
      if (p.type === PieceType.NORMAL) {
        minScore = Math.min(minScore, p.score);
        maxScore = Math.max(maxScore, p.score);
      }
      if (p.type === PieceType.NORMAL || p.type === PieceType.USER_DEFINED) this.trie.insert(codePoints(p.piece), id);
      if (p.type === PieceType.USER_DEFINED) {
        this.userDefined[id] = 1;
        userSymbols.push(p.piece);
      }
    });
    if (unkId < 0)
      throw new TokenizerFileError(`${source}: the vocabulary of ${n} pieces has no unknown piece (type UNKNOWN)`);
    this.unkId = unkId;
    this.unkScore = Math.fround(minScore - K_UNK_PENALTY);
    this.maxScore = maxScore;
    const cm = model.normalizerSpec.precompiledCharsmap;
    this.normalizer = new SentencePieceNormalizer(
      model.normalizerSpec,
      cm.length > 0 ? new PrecompiledCharsmap(cm) : undefined,
      userSymbols,
    );
  }

  get vocabSize(): number {
    return this.model.pieces.length;
  }

  pieceToId(piece: string): number {
    return this.pieceToIdMap.get(piece) ?? this.unkId;
  }

  idToPiece(id: number): string | undefined {
    return this.model.pieces[id]?.piece;
  }

  isControl(id: number): boolean {
    return this.model.pieces[id]?.type === PieceType.CONTROL;
  }

  /** Encodes text as pieces (sentencepiece's `encode(text, out_type=str)` with ids). */
  encode(text: string): EncodedPiece[] {
    const normalized = this.normalizer.normalize(text);
    if (normalized.length === 0) return [];
    const cps = codePoints(normalized);
    const path = viterbi(cps, {
      trie: this.trie,
      scores: this.scores,
      unkId: this.unkId,
      unkScore: this.unkScore,
      float32: true,
      userDefined: this.userDefined,
      maxScore: this.maxScore,
      doubleCandidates: this.version === '0.1',
    });
    const ids = Array.from(path.ids.subarray(0, path.length));
    const starts = Array.from(path.starts.subarray(0, path.length));
    // UTF-16 index of each code point, to cut pieces out of the normalized string.
    const u16 = new Int32Array(cps.length + 1);
    for (let i = 0; i < cps.length; i++) u16[i + 1] = u16[i]! + (cps[i]! > 0xffff ? 2 : 1);
    const out: EncodedPiece[] = [];
    let prevUnk = false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const surface = normalized.slice(u16[starts[i]!]!, u16[i + 1 < ids.length ? starts[i + 1]! : cps.length]!);
      const isUnk = id === this.unkId;
      if (isUnk && prevUnk) out[out.length - 1]!.piece += surface;
      else out.push({ piece: surface, id });
      prevUnk = isUnk;
    }
    if (!this.model.trainerSpec.byteFallback) return out;
    const withBytes: EncodedPiece[] = [];
    for (const p of out) {
      if (p.id !== this.unkId) {
        withBytes.push(p);
        continue;
      }
      for (const b of encoder.encode(p.piece)) {
        const piece = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
        withBytes.push({ piece, id: this.pieceToId(piece) });
      }
    }
    return withBytes;
  }
}
