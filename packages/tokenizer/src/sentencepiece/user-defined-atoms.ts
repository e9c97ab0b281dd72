// sentencepiece 0.2.x's treatment of user-defined symbols, found by running the 0.2.2 wheel (`pip install
// sentencepiece==0.2.2`) on the corpus and on models with shifted scores: a user-defined symbol is always one piece
// (the leftmost-longest one at each position, even where normal pieces would score higher), no other piece crosses
// it, and it adds nothing to the path score, which runs on in float32 from the text before it to the text after it.
// (0.1.x instead scores it `bytes × max_score − 0.1` inside the Viterbi; see models/lattice.ts.) The 0.2.x C++ source
// of this was not available to read; the rule is what reproduces the wheel on every corpus line of every fixture
// model, with the models' scores as they are and shifted by +5 (packages/parity-tests/test/tokenizer-spm-02.test.ts).
import { type ViterbiScoring, viterbi } from '../models/lattice.js';

/** The segmentation of cps[0, n): piece ids and start positions. */
export interface Segmentation {
  ids: number[];
  starts: number[];
}

/** The longest user-defined symbol starting at cps[i]: its end, or -1. */
function userDefinedAt(cps: Int32Array, i: number, n: number, m: ViterbiScoring, isUser: Uint8Array): [number, number] {
  const { trie } = m;
  let node = 0;
  let end = -1;
  let id = -1;
  for (let e = i; e < n; e++) {
    node = trie.next(node, cps[e]!);
    if (node < 0) break;
    const v = trie.values[node]!;
    if (v >= 0 && isUser[v] === 1) {
      end = e + 1;
      id = v;
    }
  }
  return [end, id];
}

/** Viterbi between the user-defined symbols of cps[0, n), each symbol one piece of score 0. */
export function segmentWithUserDefinedAtoms(
  cps: Int32Array,
  n: number,
  m: ViterbiScoring,
  isUser: Uint8Array,
): Segmentation {
  const ids: number[] = [];
  const starts: number[] = [];
  let score = 0;
  let from = 0;
  const run = (to: number) => {
    if (to <= from) return;
    const path = viterbi(cps, m, from, to, score);
    for (let k = 0; k < path.length; k++) {
      ids.push(path.ids[k]!);
      starts.push(path.starts[k]!);
    }
    score = path.score;
  };
  let i = 0;
  while (i < n) {
    const [end, id] = userDefinedAt(cps, i, n, m, isUser);
    if (end < 0) {
      i++;
      continue;
    }
    run(i);
    ids.push(id);
    starts.push(i);
    from = end;
    i = end;
  }
  run(n);
  return { ids, starts };
}
