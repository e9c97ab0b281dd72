// Pretraining instances as ALBERT's create_pretraining_data.py makes them (simplified to whole-sentence
// segments): [CLS] A [SEP] B [SEP] with B the text that follows A in the same document, swapped half
// of the time (sentence_order_label 1), and 15% of the non-special tokens selected for MLM, of which
// 80% become [MASK], 10% a random token and 10% stay. Labels are -100 where no loss is taken.
// https://github.com/google-research/albert/blob/master/create_pretraining_data.py
import { mulberry32 } from '../../packages/core/src/random.ts';

export interface SpecialIds {
  cls: number;
  sep: number;
  mask: number;
  pad: number;
  vocabSize: number;
  /** Ids never drawn as random replacements (control and unknown tokens). */
  reserved: number;
}

export interface Instance {
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
  labels: number[];
  sentence_order_label: number;
}

/** The project's one seeded PRNG (mulberry32, from core) so that runs reproduce. */
export const rng = mulberry32;

/**
 * One instance from a tokenized document (its sentences as id lists) padded to `seqLen`.
 * A = the first sentence(s), B = the rest; documents of one sentence are split in the middle.
 */
export function makeInstance(
  doc: number[][],
  seqLen: number,
  ids: SpecialIds,
  rand: () => number,
): Instance | undefined {
  const budget = seqLen - 3;
  let a: number[];
  let b: number[];
  if (doc.length >= 2) {
    const cut = 1 + Math.floor(rand() * (doc.length - 1));
    a = doc.slice(0, cut).flat();
    b = doc.slice(cut).flat();
  } else {
    const t = doc[0] ?? [];
    if (t.length < 4) return undefined;
    const cut = 1 + Math.floor(rand() * (t.length - 2));
    a = t.slice(0, cut);
    b = t.slice(cut);
  }
  // truncate_seq_pair: trim the longer segment, from the front or the back at random
  while (a.length + b.length > budget) {
    const longer = a.length > b.length ? a : b;
    if (rand() < 0.5) longer.shift();
    else longer.pop();
  }
  if (a.length === 0 || b.length === 0) return undefined;
  const swapped = rand() < 0.5;
  if (swapped) [a, b] = [b, a];
  const input = [ids.cls, ...a, ids.sep, ...b, ids.sep];
  const types = [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1];
  const labels = input.map(() => -100);
  const candidates = input.map((_, i) => i).filter((i) => input[i] !== ids.cls && input[i] !== ids.sep);
  const n = Math.max(1, Math.round(candidates.length * 0.15));
  for (let k = candidates.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!];
  }
  for (const i of candidates.slice(0, n)) {
    labels[i] = input[i]!;
    const r = rand();
    if (r < 0.8) input[i] = ids.mask;
    else if (r < 0.9) input[i] = ids.reserved + Math.floor(rand() * (ids.vocabSize - ids.reserved));
  }
  const pad = seqLen - input.length;
  return {
    input_ids: [...input, ...new Array<number>(pad).fill(ids.pad)],
    token_type_ids: [...types, ...new Array<number>(pad).fill(0)],
    attention_mask: [...input.map(() => 1), ...new Array<number>(pad).fill(0)],
    labels: [...labels, ...new Array<number>(pad).fill(-100)],
    sentence_order_label: swapped ? 1 : 0,
  };
}
