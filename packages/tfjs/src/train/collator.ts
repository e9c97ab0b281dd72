// ALBERT pretraining data from already-tokenized text: sentence-order prediction pairs and masked-LM
// targets with n-gram masking, as google-research/albert's create_pretraining_data.py builds them:
// 15% of the non-special tokens (in whole n-grams, n ≤ 3 with P(n) ∝ 1/n) become targets; each target
// token is replaced by [MASK] 80%, a random id 10%, kept 10%. SOP: two consecutive chunks A, B of one
// document, swapped with probability ½ (sentence_order_label 1).
// https://github.com/google-research/albert/blob/master/create_pretraining_data.py
import { type AlbertInputs, IGNORE_INDEX, InputError, Tensor } from '@albertjs/core';
import { mulberry32 } from './init.js';

export interface SpecialIds {
  cls: number;
  sep: number;
  mask: number;
  pad: number;
}

export interface CollatorOptions {
  special: SpecialIds;
  vocabSize: number;
  /** Sequence length of every example, [CLS] and both [SEP] included. */
  maxLength: number;
  mlmProbability?: number;
  /** Longest masked n-gram. Default 3 (ALBERT). */
  maxNgram?: number;
  /** Probability of swapping A and B. Default 0.5. */
  sopProbability?: number;
  /** Cap on targets per sequence. Default round(maxLength · mlmProbability). */
  maxPredictions?: number;
  /** Ids never chosen as random replacements or targets besides the special ones (e.g. <unk>). */
  excludeIds?: number[];
  seed?: number;
}

export interface PretrainingExample {
  input_ids: number[];
  token_type_ids: number[];
  attention_mask: number[];
  /** -100 except at the masked targets (original id). */
  labels: number[];
  sentence_order_label: number;
}

export class MlmSopCollator {
  readonly rand: () => number;
  readonly mlmProbability: number;
  readonly maxNgram: number;
  readonly sopProbability: number;
  readonly maxPredictions: number;
  private readonly ngramCdf: number[];
  private readonly specialSet: Set<number>;

  constructor(readonly options: CollatorOptions) {
    const { special, vocabSize, maxLength } = options;
    if (!Number.isInteger(maxLength) || maxLength < 5)
      throw new InputError(`maxLength must be an integer >= 5, got ${maxLength}`);
    for (const [k, v] of Object.entries(special))
      if (!Number.isInteger(v) || v < 0 || v >= vocabSize)
        throw new InputError(`special.${k} = ${v} is not an id in [0, ${vocabSize})`);
    this.rand = mulberry32(options.seed ?? 0);
    this.mlmProbability = options.mlmProbability ?? 0.15;
    this.maxNgram = options.maxNgram ?? 3;
    this.sopProbability = options.sopProbability ?? 0.5;
    this.maxPredictions = options.maxPredictions ?? Math.max(1, Math.round(maxLength * this.mlmProbability));
    const w = Array.from({ length: this.maxNgram }, (_, i) => 1 / (i + 1));
    const z = w.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.ngramCdf = w.map((x) => (acc += x / z));
    this.specialSet = new Set([...Object.values(special), ...(options.excludeIds ?? [])]);
  }

  private randInt(n: number): number {
    return Math.floor(this.rand() * n);
  }

  /** A random id that is not special (the 10% random replacement). */
  private randomToken(): number {
    for (;;) {
      const t = this.randInt(this.options.vocabSize);
      if (!this.specialSet.has(t)) return t;
    }
  }

  /** Picks whole n-grams of candidate positions until 15% of them (capped) are targets. */
  maskTokens(ids: number[]): { inputIds: number[]; labels: number[] } {
    const candidates = ids.flatMap((t, i) => (this.specialSet.has(t) ? [] : [i]));
    const budget = Math.min(this.maxPredictions, Math.max(1, Math.round(candidates.length * this.mlmProbability)));
    // Shuffle start positions (Fisher–Yates).
    const starts = [...candidates];
    for (let i = starts.length - 1; i > 0; i--) {
      const j = this.randInt(i + 1);
      [starts[i], starts[j]] = [starts[j]!, starts[i]!];
    }
    const isCandidate = new Set(candidates);
    const covered = new Set<number>();
    for (const s of starts) {
      if (covered.size >= budget) break;
      const u = this.rand();
      let n = this.ngramCdf.findIndex((c) => u <= c) + 1;
      // Shrink the n-gram until it fits the budget and lies on candidate positions.
      while (
        n > 1 &&
        (covered.size + n > budget ||
          !Array.from({ length: n }, (_, k) => s + k).every((p) => isCandidate.has(p) && !covered.has(p)))
      )
        n--;
      if (covered.has(s) || covered.size + n > budget) continue;
      for (let k = 0; k < n; k++) covered.add(s + k);
    }
    const inputIds = [...ids];
    const labels = ids.map(() => IGNORE_INDEX);
    for (const p of covered) {
      labels[p] = ids[p]!;
      const r = this.rand();
      if (r < 0.8) inputIds[p] = this.options.special.mask;
      else if (r < 0.9) inputIds[p] = this.randomToken();
    }
    return { inputIds, labels };
  }

  /** [CLS] A [SEP] B [SEP] (padded), masked, with A and B swapped with probability sopProbability. */
  makeExample(a: number[], b: number[]): PretrainingExample {
    const { special, maxLength } = this.options;
    const room = maxLength - 3;
    a = [...a];
    b = [...b];
    // Truncate the longer side first (as create_pretraining_data.truncate_seq_pair, from the end).
    while (a.length + b.length > room) (a.length > b.length ? a : b).pop();
    if (a.length === 0 || b.length === 0)
      throw new InputError(
        `a sentence-order pair needs two non-empty segments, got lengths ${a.length} and ${b.length}`,
      );
    const swap = this.rand() < this.sopProbability;
    const [first, second] = swap ? [b, a] : [a, b];
    const ids = [special.cls, ...first, special.sep, ...second, special.sep];
    const types = [...Array(first.length + 2).fill(0), ...Array(second.length + 1).fill(1)];
    const { inputIds, labels } = this.maskTokens(ids);
    const pad = maxLength - ids.length;
    return {
      input_ids: [...inputIds, ...Array(pad).fill(special.pad)],
      token_type_ids: [...types, ...Array(pad).fill(0)],
      attention_mask: [...Array(ids.length).fill(1), ...Array(pad).fill(0)],
      labels: [...labels, ...Array(pad).fill(IGNORE_INDEX)],
      sentence_order_label: swap ? 1 : 0,
    };
  }

  /**
   * Splits a document (its segments, e.g. sentences, as id arrays) into consecutive A/B pairs that fill
   * maxLength, as create_instances_from_document: A takes a random number of leading segments.
   */
  examplesFromDocument(segments: number[][]): PretrainingExample[] {
    const room = this.options.maxLength - 3;
    const out: PretrainingExample[] = [];
    let chunk: number[][] = [];
    let len = 0;
    const flush = () => {
      if (chunk.length === 0) return;
      let a: number[];
      let b: number[];
      if (chunk.length >= 2) {
        const cut = 1 + this.randInt(chunk.length - 1);
        a = chunk.slice(0, cut).flat();
        b = chunk.slice(cut).flat();
      } else {
        const only = chunk[0]!;
        if (only.length < 2) return;
        const cut = 1 + this.randInt(only.length - 1);
        a = only.slice(0, cut);
        b = only.slice(cut);
      }
      out.push(this.makeExample(a, b));
    };
    for (const seg of segments) {
      if (seg.length === 0) continue;
      chunk.push(seg);
      len += seg.length;
      if (len >= room) {
        flush();
        chunk = [];
        len = 0;
      }
    }
    flush();
    return out;
  }

  /** Stacks examples into AlbertForPreTraining inputs (int64 tensors). */
  static collate(examples: PretrainingExample[]): AlbertInputs {
    if (examples.length === 0) throw new InputError('cannot collate an empty batch');
    const S = examples[0]!.input_ids.length;
    const B = examples.length;
    const stack = (f: (e: PretrainingExample) => number[]) => Tensor.i64(examples.flatMap(f), [B, S]);
    return {
      input_ids: stack((e) => e.input_ids),
      token_type_ids: stack((e) => e.token_type_ids),
      attention_mask: stack((e) => e.attention_mask),
      labels: stack((e) => e.labels),
      sentence_order_label: Tensor.i64(
        examples.map((e) => e.sentence_order_label),
        [B],
      ),
    };
  }
}
