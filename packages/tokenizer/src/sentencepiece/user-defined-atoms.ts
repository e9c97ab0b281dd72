// sentencepiece 0.2.x's treatment of user-defined symbols, found by running the 0.2.2 wheel (`pip install
// sentencepiece==0.2.2`) on the corpus and on models with shifted scores: a user-defined symbol is always one piece
// (the leftmost-longest one at each position, even where normal pieces would score higher), no other piece crosses
// it, and it adds nothing to the path score, which runs on in float32 from the text before it to the text after it.
// (0.1.x instead scores it `bytes × max_score − 0.1` inside the Viterbi; see models/lattice.ts.) The 0.2.x C++ source
// of this was not available to read; the rule is what reproduces the wheel on every corpus line of every fixture
// model, with the models' scores as they are and shifted by +5 (packages/parity-tests/test/tokenizer-spm-02.test.ts).
import { type ViterbiScoring, viterbi } from '../models/lattice.js';

/** Reused between calls (encoding is synchronous): the pieces' ids and starts. */
const out = { ids: new Int32Array(1024), starts: new Int32Array(1024) };

/** The longest user-defined symbol starting at cps[i]: [its end, its id], or [-1, -1]. */
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

/**
 * Viterbi between the user-defined symbols of cps[0, n), each symbol one piece of score 0: `count` pieces, ids[k]
 * starting at starts[k] (valid until the next call). `firsts` holds the code points a user-defined symbol starts with.
 */
export function segmentWithUserDefinedAtoms(
  cps: Int32Array,
  n: number,
  m: ViterbiScoring,
  isUser: Uint8Array,
  firsts: ReadonlySet<number>,
): { ids: Int32Array; starts: Int32Array; count: number } {
  if (out.ids.length < n) {
    out.ids = new Int32Array(Math.max(n, 2 * out.ids.length));
    out.starts = new Int32Array(out.ids.length);
  }
  const { ids, starts } = out;
  let count = 0;
  let score = 0;
  let from = 0;
  const run = (to: number) => {
    if (to <= from) return;
    const path = viterbi(cps, m, from, to, score);
    ids.set(path.ids.subarray(0, path.length), count);
    starts.set(path.starts.subarray(0, path.length), count);
    count += path.length;
    score = path.score;
  };
  let i = 0;
  while (i < n) {
    if (!firsts.has(cps[i]!)) {
      i++;
      continue;
    }
    const [end, id] = userDefinedAt(cps, i, n, m, isUser);
    if (end < 0) {
      i++;
      continue;
    }
    run(i);
    ids[count] = id;
    starts[count] = i;
    count++;
    from = end;
    i = end;
  }
  run(n);
  return { ids, starts, count };
}
