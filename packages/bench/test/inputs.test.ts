import { AlbertConfig, type Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { makeBatch, TINY_FIELDS } from '../src/index.js';

const config = new AlbertConfig({ ...TINY_FIELDS });

describe('makeBatch', () => {
  it('draws ordinary ids, full attention and the labels each head needs', () => {
    const b = makeBatch('AlbertForSequenceClassification', config, 3, 5, 0, true);
    const ids = b.inputs.input_ids as Tensor<BigInt64Array>;
    expect(ids.shape).toEqual([3, 5]);
    expect([...ids.data].every((x) => x >= 5n && x < BigInt(config.vocab_size))).toBe(true);
    expect(new Set(ids.data).size).toBeGreaterThan(5);
    expect([...(b.inputs.attention_mask as Tensor<BigInt64Array>).data].every((x) => x === 1n)).toBe(true);
    const labels = b.inputs.labels as Tensor<BigInt64Array>;
    expect(labels.shape).toEqual([3]);
    expect([...labels.data].every((x) => x >= 0n && x < BigInt(config.num_labels))).toBe(true);
    const qa = makeBatch('AlbertForQuestionAnswering', config, 2, 6, 0, true);
    expect([...(qa.inputs.start_positions as Tensor<BigInt64Array>).data].every((x) => x >= 0n && x < 6n)).toBe(true);
    const mlm = makeBatch('AlbertForPreTraining', config, 2, 6, 0, true);
    expect((mlm.inputs.labels as Tensor).shape).toEqual([2, 6]);
    expect((mlm.inputs.sentence_order_label as Tensor).shape).toEqual([2]);
  });

  it('seeds AlbertModel training with cotangents and keeps the same ids for inference', () => {
    const m = makeBatch('AlbertModel', config, 2, 4, 0, true);
    expect(m.cotangents?.last_hidden_state?.shape).toEqual([2, 4, config.hidden_size]);
    expect(m.cotangents?.pooler_output?.shape).toEqual([2, config.hidden_size]);
    expect(makeBatch('AlbertModel', config, 2, 4, 0, false).inputs.input_ids).toEqual(m.inputs.input_ids);
  });

  it('is deterministic per (seed, batch, seq) and differs across them', () => {
    const ids = (seed: number, b: number, s: number) =>
      (makeBatch('AlbertModel', config, b, s, seed, false).inputs.input_ids as Tensor).data;
    expect(ids(0, 2, 8)).toEqual(ids(0, 2, 8));
    expect(ids(1, 2, 8)).not.toEqual(ids(0, 2, 8));
    expect(ids(0, 2, 16).subarray(0, 16)).not.toEqual(ids(0, 2, 8));
  });

  it('refuses multiple choice, whose inputs are [B, C, S]', () => {
    expect(() => makeBatch('AlbertForMultipleChoice', config, 1, 4, 0, false)).toThrow(/AlbertForMultipleChoice/);
  });
});
