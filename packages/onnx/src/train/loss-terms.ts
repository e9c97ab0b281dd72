// The objective of a training graph as terms over the head's output fields, and the host-side feeds
// that carry each term's labels: the same losses as core's heads/losses.ts (torch's CrossEntropyLoss
// with ignore_index, MSELoss, BCEWithLogitsLoss, all mean-reduced) written as weighted sums, so that
// ignored targets, clamped QA positions and the (start + end) / 2 of the span loss are weights.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L697-L718
import { HEADS, IGNORE_INDEX, InputError, type PreparedInputs } from '@albertjs/core';

/**
 * One term: `ce` = Σ_r w_r · −log softmax(field row rows[r])[targets[r]] over the field's last axis;
 * `mse` = Σ w·(x − y)²; `bce` = Σ w·(max(x, 0) − x·y + log1p(e^−|x|)) over the flattened field.
 */
export interface LossTerm {
  kind: 'ce' | 'mse' | 'bce';
  /** Output field the term reads (`logits`, `sop_logits`, `start_logits` …). */
  field: string;
}

export type LossFeeds = Record<string, { data: BigInt64Array | Float32Array; dims: number[] }>;

/** The names of term k's graph inputs. */
export const termInput = (k: number, what: 'rows' | 'targets' | 'weights') => `loss.${k}.${what}`;

/** Cross-entropy feeds for targets over `n` rows: labelled rows only, weight scale / count (NaN when none, as torch). */
function ceFeeds(k: number, targets: ArrayLike<number>, ignore: number, scale: number): LossFeeds {
  const rows: number[] = [];
  for (let r = 0; r < targets.length; r++) if (targets[r] !== ignore) rows.push(r);
  const count = rows.length;
  const picked = count ? rows : [0];
  return {
    [termInput(k, 'rows')]: { data: BigInt64Array.from(picked, BigInt), dims: [picked.length] },
    [termInput(k, 'targets')]: {
      data: BigInt64Array.from(picked, (r) => BigInt(count ? targets[r]! : 0)),
      dims: [picked.length],
    },
    [termInput(k, 'weights')]: {
      data: new Float32Array(picked.length).fill(count ? scale / count : Number.NaN),
      dims: [picked.length],
    },
  };
}

function denseFeeds(k: number, y: Float32Array): LossFeeds {
  return {
    [termInput(k, 'targets')]: { data: y, dims: [y.length] },
    [termInput(k, 'weights')]: { data: new Float32Array(y.length).fill(1 / y.length), dims: [y.length] },
  };
}

/** The loss terms of `head` for these prepared labels, and their feeds; an InputError when labels are missing. */
export function lossTerms(p: PreparedInputs): { terms: LossTerm[]; feeds: LossFeeds } {
  const L = p.labels;
  const missing = (what: string) =>
    new InputError(`${p.head}: training and gradients need ${what} (the loss is the objective)`);
  const ce = (field: string, targets: ArrayLike<number>, ignore = IGNORE_INDEX, scale = 1) => ({
    term: { kind: 'ce', field } as LossTerm,
    feeds: (k: number) => ceFeeds(k, targets, ignore, scale),
  });
  let parts: { term: LossTerm; feeds: (k: number) => LossFeeds }[];
  switch (HEADS[p.head].loss) {
    case 'none':
      throw new InputError(`${p.head} has no loss: gradients need cotangents`);
    case 'pretraining':
      if (!L.ids || !L.sentenceOrder) throw missing('labels and sentence_order_label');
      parts = [ce('prediction_logits', L.ids), ce('sop_logits', L.sentenceOrder)];
      break;
    case 'tokens':
    case 'choice':
      if (!L.ids) throw missing('labels');
      parts = [ce('logits', L.ids)];
      break;
    case 'sequence':
      if (L.ids) parts = [ce('logits', L.ids)];
      else if (L.floats) {
        const y = L.floats;
        const kind = L.problemType === 'regression' ? 'mse' : 'bce';
        parts = [{ term: { kind, field: 'logits' }, feeds: (k) => denseFeeds(k, y) }];
      } else throw missing('labels');
      break;
    case 'span':
      if (!L.startPositions || !L.endPositions) throw missing('start_positions and end_positions');
      // positions clamped to S are ignored; (start + end) / 2
      parts = [ce('start_logits', L.startPositions, p.seq, 0.5), ce('end_logits', L.endPositions, p.seq, 0.5)];
      break;
  }
  const feeds: LossFeeds = {};
  for (const [k, part] of parts.entries()) Object.assign(feeds, part.feeds(k));
  return { terms: parts.map((x) => x.term), feeds };
}
