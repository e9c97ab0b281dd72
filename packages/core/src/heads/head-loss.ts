// The loss of every head computed on the CPU from its logits with the reference definitions in losses.ts
// (the same semantics as modeling_albert.py's forward()); for backends whose graphs or kernels stop at the logits.
import type { AlbertInputs } from '../backend.js';
import type { AlbertConfig } from '../config.js';
import { InputError } from '../errors.js';
import type { F32 } from '../outputs.js';
import { type IdsLike, Tensor, type TensorFields, toInt32Ids } from '../tensor.js';
import {
  crossEntropy,
  IGNORE_INDEX,
  numbers,
  questionAnsweringLoss,
  scalar,
  sequenceClassificationLoss,
} from './losses.js';
import type { HeadName } from './names.js';

function intLabels(name: string, v: AlbertInputs['labels']): number[] {
  if (v instanceof Tensor && (v.dtype === 'float32' || v.dtype === 'float64'))
    throw new InputError(`${name} must be integer class ids, got dtype ${v.dtype}`);
  return numbers(toInt32Ids(name, v as Parameters<typeof toInt32Ids>[1]));
}

/**
 * Sequence-classification labels as a tensor: float tensors and arrays holding a non-integer stay float
 * (regression, multi-label targets), everything else becomes int32 class ids.
 */
export function labelTensor(name: string, v: AlbertInputs['labels']): Tensor {
  if (v instanceof Tensor) {
    // instanceof is structural: int tensors from @albertjs/tokenizer pass it too
    const t = v as unknown as TensorFields;
    return t.dtype === 'float32' || t.dtype === 'float64' ? (t as Tensor) : toInt32Ids(name, t as IdsLike);
  }
  if (Array.isArray(v)) {
    const flat = (v as unknown[]).flat(3);
    if (flat.some((x) => typeof x === 'number' && !Number.isInteger(x))) {
      if (flat.some((x) => typeof x !== 'number'))
        throw new InputError(
          `${name} must hold only numbers, got ${JSON.stringify(flat.find((x) => typeof x !== 'number'))}`,
        );
      return Tensor.f32(flat as number[], [flat.length]);
    }
  }
  return toInt32Ids(name, v as Parameters<typeof toInt32Ids>[1]);
}

function lastDim(t: F32): number {
  return t.shape[t.shape.length - 1]!;
}

/** The loss transformers returns for `head` given these inputs and logits, or undefined when no labels are given. */
export function headLoss(
  head: HeadName,
  config: AlbertConfig,
  inputs: AlbertInputs,
  out: Record<string, F32>,
): F32 | undefined {
  switch (head) {
    case 'AlbertModel':
      return undefined;
    case 'AlbertForPreTraining': {
      if (inputs.labels === undefined || inputs.sentence_order_label === undefined) return undefined;
      const p = out.prediction_logits!;
      const sop = out.sop_logits!;
      return scalar(
        crossEntropy(p.data, lastDim(p), intLabels('labels', inputs.labels), IGNORE_INDEX) +
          crossEntropy(sop.data, 2, intLabels('sentence_order_label', inputs.sentence_order_label)),
      );
    }
    case 'AlbertForMaskedLM':
    case 'AlbertForTokenClassification':
    case 'AlbertForMultipleChoice': {
      if (inputs.labels === undefined) return undefined;
      const l = out.logits!;
      return scalar(crossEntropy(l.data, lastDim(l), intLabels('labels', inputs.labels)));
    }
    case 'AlbertForSequenceClassification': {
      if (inputs.labels === undefined) return undefined;
      return scalar(sequenceClassificationLoss(config, out.logits!, labelTensor('labels', inputs.labels)));
    }
    case 'AlbertForQuestionAnswering': {
      if (inputs.start_positions === undefined || inputs.end_positions === undefined) return undefined;
      const batch = [out.start_logits!.shape[0]!]; // flat typed arrays need the shape: one position per row
      const sp = toInt32Ids('start_positions', inputs.start_positions, batch);
      const ep = toInt32Ids('end_positions', inputs.end_positions, batch);
      return scalar(questionAnsweringLoss(out.start_logits!, out.end_logits!, sp, ep));
    }
  }
}
