// The loss of every head computed on the CPU from its logits, for callers that hold transformers-named
// inputs and outputs (the fixtures): the labels are checked by prepareLabels and the loss computed by
// lossFromLabels, the same code the backends' forward() uses.
import type { AlbertInputs } from '../backend.js';
import type { AlbertConfig } from '../config.js';
import { lossFromLabels } from '../forward/assemble.js';
import { prepareLabels } from '../forward/prepare.js';
import type { F32 } from '../outputs.js';
import { numel } from '../tensor.js';
import type { HeadName } from './names.js';
import { HEADS } from './table.js';

/** The loss transformers returns for `head` given these inputs and logits, or undefined when no labels are given. */
export function headLoss(
  head: HeadName,
  config: AlbertConfig,
  inputs: AlbertInputs,
  out: Record<string, F32>,
): F32 | undefined {
  const spec = HEADS[head];
  if (spec.loss === 'none') return undefined;
  // Leading dims and sequence length from the head's first field: [..lead, S, n], [..lead, S] or [B, n] / [B, C].
  const f = spec.fields[0]!;
  const shape = out[f.name]!.shape;
  const perToken = f.from !== 'onPooled' && f.from !== 'pooled';
  const tail = perToken ? (f.column === undefined ? 2 : 1) : 0;
  const lead = head === 'AlbertForMultipleChoice' ? [...shape] : perToken ? shape.slice(0, -tail) : [shape[0]!];
  const seq = perToken ? shape[shape.length - tail]! : 1;
  const labels = prepareLabels(head, config, inputs, lead[0]!, numel(lead), seq);
  const fields = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data]));
  return lossFromLabels(head, config, fields, { labels, lead, seq });
}
