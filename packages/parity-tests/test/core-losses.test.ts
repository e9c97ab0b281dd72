// core's reference loss definitions (heads/losses.ts) reproduce transformers' `out.loss` from the fixture
// logits and labels of every head: ignore index -100, problem_type rules, QA position clamping.

import {
  type AlbertInputs,
  crossEntropy,
  headLoss,
  IGNORE_INDEX,
  inferProblemType,
  numbers,
  questionAnsweringLoss,
  readCheckpointDir,
  sequenceClassificationLoss,
  type Tensor,
} from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { listCases, pick } from '../src/index.js';

const cases = listCases().filter((c) => c.keys.includes('out.loss'));

describe.each(cases.map((c) => [c.id, c] as const))('loss of %s', (_id, c) => {
  it('matches transformers within float32 rounding', async () => {
    const t = c.load();
    const inp = pick(t, 'in.');
    const out = pick(t, 'out.') as Map<string, Tensor<Float32Array>>;
    const { config } = await readCheckpointDir(c.modelPath);
    const last = (x: Tensor) => x.shape[x.shape.length - 1]!;
    let loss: number;
    switch (c.modelClass) {
      case 'AlbertForPreTraining': {
        const p = out.get('prediction_logits')!;
        const sop = out.get('sop_logits')!;
        loss =
          crossEntropy(p.data, last(p), numbers(inp.get('labels')!), IGNORE_INDEX) +
          crossEntropy(sop.data, 2, numbers(inp.get('sentence_order_label')!));
        break;
      }
      case 'AlbertForMaskedLM':
      case 'AlbertForTokenClassification':
      case 'AlbertForMultipleChoice': {
        const l = out.get('logits')!;
        loss = crossEntropy(l.data, last(l), numbers(inp.get('labels')!));
        break;
      }
      case 'AlbertForSequenceClassification': {
        const labels = inp.get('labels')!;
        expect(inferProblemType(config, labels)).toBe(
          c.head.endsWith('regression')
            ? 'regression'
            : c.head.endsWith('multilabel')
              ? 'multi_label_classification'
              : 'single_label_classification',
        );
        loss = sequenceClassificationLoss(config, out.get('logits')!, labels);
        break;
      }
      case 'AlbertForQuestionAnswering': {
        const sp = inp.get('start_positions')!;
        // the fixture includes an out-of-range start position, clamped to S and ignored
        expect(numbers(sp).some((v) => v > last(out.get('start_logits')!))).toBe(true);
        loss = questionAnsweringLoss(out.get('start_logits')!, out.get('end_logits')!, sp, inp.get('end_positions')!);
        break;
      }
      default:
        throw new Error(`no loss for ${c.modelClass}`);
    }
    const want = out.get('loss')!.data[0]!;
    expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
  });
});

describe.each(cases.map((c) => [c.id, c] as const))('headLoss(%s)', (_id, c) => {
  it('gives transformers’ loss from the head outputs and the case inputs', async () => {
    const t = c.load();
    const inputs = Object.fromEntries(pick(t, 'in.')) as AlbertInputs;
    const out = Object.fromEntries(pick(t, 'out.')) as Record<string, Tensor<Float32Array>>;
    const { config } = await readCheckpointDir(c.modelPath);
    const loss = headLoss(c.modelClass, config, inputs, out);
    const want = out.loss!.data[0]!;
    expect(Math.abs(loss!.data[0]! - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
    expect(headLoss(c.modelClass, config, { input_ids: inputs.input_ids }, out)).toBeUndefined();
  });
});

/** A tensor's values as the nested number[] a user would write (labels as plain JS arrays). */
function nested(t: Tensor): unknown {
  const flat = numbers(t);
  const build = (dim: number, offset: number): unknown => {
    if (dim === t.shape.length) return flat[offset];
    const stride = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: t.shape[dim]! }, (_, i) => build(dim + 1, offset + i * stride));
  };
  return build(0, 0);
}

describe.each(cases.map((c) => [c.id, c] as const))('headLoss(%s) with labels as nested arrays', (_id, c) => {
  it('gives the same loss as with tensors (float arrays stay float: regression, multi-label)', async () => {
    const t = c.load();
    const inputs = Object.fromEntries(pick(t, 'in.')) as AlbertInputs;
    const out = Object.fromEntries(pick(t, 'out.')) as Record<string, Tensor<Float32Array>>;
    const { config } = await readCheckpointDir(c.modelPath);
    const asArrays = Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [k, /label|position/.test(k) ? nested(v as Tensor) : v]),
    ) as AlbertInputs;
    const want = out.loss!.data[0]!;
    const loss = headLoss(c.modelClass, config, asArrays, out)!;
    expect(Math.abs(loss.data[0]! - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
  });
});
