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
import { segmentWithUserDefinedAtoms } from './user-defined-atoms.js';

const K_UNK_PENALTY = 10;
const FLT_MIN = 1.1754943508222875e-38;
const FLT_MAX = 3.4028234663852886e38;
const encoder = new TextEncoder();

/**
 * Which sentencepiece release's tie-breaking to follow: equal-score segmentations (`0 00` / `00 0`) are resolved by
 * float rounding. '0.1' is unigram_model.cc's EncodeOptimized as written (candidates summed and compared in double,
 * stored in float; a user-defined symbol scored `bytes × max_score − 0.1`): Debian's 0.1.97 and the wasm build in
 * @sctg/sentencepiece-js, checked on every corpus line. '0.2' reproduces the 0.2.2 wheel transformers installs, whose
 * source was not available here: path scores summed in float, a user-defined symbol always one piece adding nothing
 * (user-defined-atoms.ts); checked against the wheel on every corpus line (fixtures/spm-0.2.2 in parity-tests).
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
  private readonly hasUserDefined: boolean;
  /** The first code point of every user-defined symbol. */
  private readonly userDefinedFirsts = new Set<number>();
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
    this.hasUserDefined = userSymbols.length > 0;
    for (const u of userSymbols) this.userDefinedFirsts.add(u.codePointAt(0)!);
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
    const { ids, pieces } = this.encodeAsPieces(text);
    return pieces.map((piece, i) => ({ piece, id: ids[i]! }));
  }

  /** The pieces of a text and their ids, as two parallel lists (no object per piece), appended to the lists given. */
  encodeAsPieces(text: string, ids: number[] = [], pieces: string[] = []): { ids: number[]; pieces: string[] } {
    this.forEachPiece(text, (id, piece) => {
      ids.push(id);
      pieces.push(piece);
    });
    return { ids, pieces };
  }

  /** Calls fn(id, piece) for every piece of the text, in order. */
  forEachPiece(text: string, fn: (id: number, piece: string) => void): void {
    const normalized = this.normalizer.normalize(text);
    if (normalized.length === 0) return;
    // The code points, and the UTF-16 index of each (to cut unknown pieces out of the normalized string).
    const n = codePointsInto(normalized);
    const cps = scratch.cps;
    const u16 = scratch.u16;
    const scoring = {
      trie: this.trie,
      scores: this.scores,
      unkId: this.unkId,
      unkScore: this.unkScore,
      float32: true,
      userDefined: this.userDefined,
      maxScore: this.maxScore,
      doubleCandidates: this.version === '0.1',
    };
    let count: number;
    let pathIds: ArrayLike<number>;
    let starts: ArrayLike<number>;
    if (this.version === '0.2' && this.hasUserDefined) {
      const seg = segmentWithUserDefinedAtoms(cps, n, scoring, this.userDefined, this.userDefinedFirsts);
      count = seg.count;
      pathIds = seg.ids;
      starts = seg.starts;
    } else {
      const path = viterbi(cps, scoring, 0, n);
      count = path.length;
      pathIds = path.ids;
      starts = path.starts;
    }
    const byteFallback = this.model.trainerSpec.byteFallback;
    const unk = this.unkId;
    for (let i = 0; i < count; i++) {
      const id = pathIds[i]!;
      if (id !== unk) {
        // a matched piece is its vocabulary text
        fn(id, this.model.pieces[id]!.piece);
        continue;
      }
      // consecutive unknown pieces are one piece: the text they cover
      let j = i;
      while (j + 1 < count && pathIds[j + 1] === unk) j++;
      const surface = normalized.slice(u16[starts[i]!]!, u16[j + 1 < count ? starts[j + 1]! : n]!);
      i = j;
      if (!byteFallback) {
        fn(unk, surface);
        continue;
      }
      for (const b of encoder.encode(surface)) {
        const piece = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
        fn(this.pieceToId(piece), piece);
      }
    }
  }
}

/** Reused between calls (encoding is synchronous). */
const scratch = { cps: new Int32Array(1024), u16: new Int32Array(1025) };

/** The code points of s into scratch.cps (and their UTF-16 starts into scratch.u16, with the end last); their count. */
function codePointsInto(s: string): number {
  if (scratch.cps.length < s.length) {
    scratch.cps = new Int32Array(Math.max(s.length, 2 * scratch.cps.length));
    scratch.u16 = new Int32Array(scratch.cps.length + 1);
  }
  const { cps, u16 } = scratch;
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    u16[k] = i;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cps[k++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    cps[k++] = c;
  }
  u16[k] = s.length;
  return k;
}
