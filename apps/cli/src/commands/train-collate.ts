// Features → padded model inputs (DataCollatorWithPadding / DataCollatorForTokenClassification / the multiple-choice
// collator of run_swag.py), and DataCollatorForLanguageModeling's masking for `albert train mlm`: 15 % of the
// non-special tokens become targets, 80 % of them [MASK], 10 % a random id, 10 % kept. Masks are drawn from a
// generator seeded by (seed, epoch, example), so a resumed run masks exactly as an uninterrupted one.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/data/data_collator.py (torch_mask_tokens)
import { type AlbertInputs, IGNORE_INDEX, mulberry32, Tensor } from '@albertjs/core';
import type { Feature, TrainTask } from './train-features.js';

export interface CollateOptions {
  padId: number;
  problemType?: string | null;
  /** MLM masking: the generator for each feature, the mask id, the vocabulary and the ids never masked. */
  mlm?: { randFor: (f: Feature) => () => number; maskId: number; vocabSize: number; special: ReadonlySet<number> };
}

/** A seed for one example in one epoch (a 32-bit mix of the three). */
export function exampleSeed(seed: number, epoch: number, example: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const x of [epoch, example]) {
    h = Math.imul(h ^ x, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

export function mlmRandFor(seed: number, epoch: number): (f: Feature) => () => number {
  return (f) => mulberry32(exampleSeed(seed, epoch, f.example));
}

/** Masks one row: [inputs, labels] (labels -100 where nothing is predicted). */
export function maskTokens(
  ids: readonly number[],
  o: NonNullable<CollateOptions['mlm']>,
  rand: () => number,
): [number[], number[]] {
  const input = [...ids];
  const labels = ids.map(() => IGNORE_INDEX);
  for (let i = 0; i < ids.length; i++) {
    if (o.special.has(ids[i]!)) continue;
    if (rand() >= 0.15) continue;
    labels[i] = ids[i]!;
    const r = rand();
    if (r < 0.8) input[i] = o.maskId;
    else if (r < 0.9) input[i] = Math.floor(rand() * o.vocabSize);
  }
  return [input, labels];
}

function pad(row: readonly number[], n: number, v: number): number[] {
  return row.length >= n ? [...row] : [...row, ...new Array<number>(n - row.length).fill(v)];
}

/** One batch of features as the head's inputs, padded to the longest row of the batch. */
export function collate(task: TrainTask, feats: readonly Feature[], o: CollateOptions): AlbertInputs {
  const S = Math.max(...feats.flatMap((f) => f.ids.map((r) => r.length)));
  const rows = (f: Feature) =>
    f.ids.map((r, c) => ({
      ids: pad(r, S, o.padId),
      type: pad(f.typeIds[c]!, S, 0),
      mask: pad(
        r.map(() => 1),
        S,
        0,
      ),
    }));
  if (task === 'multiple-choice') {
    const all = feats.map(rows); // [B, C, S]
    return {
      input_ids: all.map((f) => f.map((r) => r.ids)),
      token_type_ids: all.map((f) => f.map((r) => r.type)),
      attention_mask: all.map((f) => f.map((r) => r.mask)),
      labels: feats.map((f) => f.label as number),
    };
  }
  const flat = feats.map((f) => rows(f)[0]!); // [B, S]
  const inputs: AlbertInputs = {
    input_ids: flat.map((r) => r.ids),
    token_type_ids: flat.map((r) => r.type),
    attention_mask: flat.map((r) => r.mask),
  };
  if (task === 'text-classification') {
    if (o.problemType === 'regression')
      inputs.labels = Tensor.f32(
        feats.map((f) => f.label as number),
        [feats.length],
      );
    else if (o.problemType === 'multi_label_classification') {
      const L = (feats[0]!.label as number[]).length;
      inputs.labels = Tensor.f32(
        feats.flatMap((f) => f.label as number[]),
        [feats.length, L],
      );
    } else inputs.labels = feats.map((f) => f.label as number);
  } else if (task === 'token-classification') {
    inputs.labels = feats.map((f) => pad(f.tokenLabels!, S, IGNORE_INDEX));
  } else if (task === 'question-answering') {
    inputs.start_positions = feats.map((f) => f.start!);
    inputs.end_positions = feats.map((f) => f.end!);
  } else if (task === 'mlm') {
    if (!o.mlm) throw new Error('mlm collate needs masking options');
    const masked = feats.map((f) => maskTokens(f.ids[0]!, o.mlm!, o.mlm!.randFor(f)));
    inputs.input_ids = masked.map(([ids]) => pad(ids, S, o.padId));
    inputs.labels = masked.map(([, l]) => pad(l, S, IGNORE_INDEX));
  }
  return inputs;
}
