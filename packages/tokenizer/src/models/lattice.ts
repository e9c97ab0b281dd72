// Unigram Viterbi over a sentence, computed left to right without storing the lattice (linear in the input length
// times the longest piece). Ports sentencepiece's Model::EncodeOptimized
// (https://github.com/google/sentencepiece/blob/master/src/unigram_model.cc) and tokenizers' Unigram::encode_optimized
// (https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/models/unigram/model.rs): a node is replaced
// only by a strictly better path, candidates come by start position then by length, a character no piece covers
// becomes an unknown node scored `min score - 10`.

import { utf8Len } from '../unicode.js';
import type { PieceTrie } from './piece-trie.js';

export interface ViterbiScoring {
  trie: PieceTrie;
  /** Score of each piece id. */
  scores: ArrayLike<number>;
  unkId: number;
  unkScore: number;
  /** sentencepiece keeps path scores in float32; tokenizers in float64. */
  float32: boolean;
  /** sentencepiece: user-defined pieces score `bytes * maxScore - 0.1` (flags per id). */
  userDefined?: Uint8Array;
  maxScore?: number;
  /** sentencepiece 0.1.x (float32 paths): candidates compared in double before the float store. */
  doubleCandidates?: boolean;
}

// Reused between calls (the Viterbi is synchronous): no allocation per word.
let scratch = {
  best: new Float64Array(256),
  from: new Int32Array(256),
  idAt: new Int32Array(256),
  cps: new Int32Array(256),
};

/** The best path: `length` pieces, ids[i] starting at starts[i]. Valid until the next viterbi() call. */
export interface ViterbiPath {
  ids: Int32Array;
  starts: Int32Array;
  length: number;
  /** The score of the best path (from the initial score). */
  score: number;
}
const path: ViterbiPath = { ids: new Int32Array(256), starts: new Int32Array(256), length: 0, score: 0 };

/**
 * Best segmentation of cps[from, to): piece ids and their start positions (indices into cps), in order. Path scores
 * start from `initial` (the score of what came before, where a text is encoded in segments).
 */
export function viterbi(
  cps: ArrayLike<number>,
  m: ViterbiScoring,
  from = 0,
  to = cps.length,
  initial = 0,
): ViterbiPath {
  const n = to - from;
  if (scratch.best.length < n + 1) {
    const size = Math.max(n + 1, 2 * scratch.best.length);
    scratch = {
      best: new Float64Array(size),
      from: new Int32Array(size),
      idAt: new Int32Array(size),
      cps: new Int32Array(size),
    };
    path.ids = new Int32Array(size);
    path.starts = new Int32Array(size);
  }
  const { best, from: back, idAt } = scratch;
  // The word's code points in one typed array: the loop below then sees a single element kind.
  const word = scratch.cps;
  for (let i = 0; i < n; i++) word[i] = cps[from + i]!;
  best[0] = initial;
  back.fill(-1, 0, n + 1);
  const trie = m.trie;
  const { values, root, keyNode, keyCp, child, mask } = trie;
  const { scores, userDefined, float32, unkId, unkScore } = m;
  const maxScore = m.maxScore ?? 0;
  const doubleCandidates = m.doubleCandidates === true;
  for (let s = 0; s < n; s++) {
    const here = best[s]!;
    let hasSingle = false;
    let node = 0;
    let bytes = 0;
    for (let e = s; e < n; e++) {
      const cp = word[e]!;
      // trie.next(node, cp), inlined: root edges in a table, the others in the hash table
      let next = -1;
      if (node === 0 && cp < 0x10000) next = root[cp]!;
      else {
        let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(cp, 0x85ebca77)) & mask;
        for (;;) {
          const k = keyNode[h]!;
          if (k === -1) break;
          if (k === node && keyCp[h] === cp) {
            next = child[h]!;
            break;
          }
          h = (h + 1) & mask;
        }
      }
      if (next < 0) break;
      node = next;
      const id = values[node]!;
      if (userDefined !== undefined) bytes += utf8Len(cp);
      if (id < 0) continue;
      let cand: number;
      if (userDefined !== undefined && userDefined[id] === 1)
        cand = doubleCandidates ? Math.fround(bytes * maxScore) - 0.1 + here : bytes * maxScore - 0.1 + here;
      // sentencepiece 0.1.x: `score` is a double (the user-defined branch `length * max_score_ - 0.1` makes the
      // ternary double), so the candidate is summed and compared in double and only the stored best is rounded to
      // float. sentencepiece 0.2.x sums in float.
      else cand = float32 && !doubleCandidates ? Math.fround(scores[id]! + here) : scores[id]! + here;
      const t = e + 1;
      if (back[t] === -1 || cand > best[t]!) {
        best[t] = float32 ? Math.fround(cand) : cand;
        back[t] = s;
        idAt[t] = id;
      }
      if (e === s) hasSingle = true;
    }
    if (!hasSingle) {
      const t = s + 1;
      const cand = float32 ? Math.fround(unkScore + here) : unkScore + here;
      if (back[t] === -1 || cand > best[t]!) {
        best[t] = float32 ? Math.fround(cand) : cand;
        back[t] = s;
        idAt[t] = unkId;
      }
    }
  }
  // Backtrack, writing the path from its end.
  let count = 0;
  for (let e = n; e > 0; e = back[e]!) count++;
  let k = count;
  for (let e = n; e > 0; e = back[e]!) {
    k--;
    path.ids[k] = idAt[e]!;
    path.starts[k] = from + back[e]!;
  }
  path.length = count;
  path.score = best[n]!;
  return path;
}
