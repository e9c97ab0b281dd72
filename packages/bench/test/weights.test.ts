import { AlbertConfig, headParams, numel, type Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { makeBatch, randomCheckpoint, randomWeights, SeededRandom, TINY_FIELDS } from '../src/index.js';

const config = new AlbertConfig({ ...TINY_FIELDS });

describe('SeededRandom', () => {
  it('is deterministic in its seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const xa = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.normal())).not.toEqual(xa);
  });

  it('draws N(0, 1) and uniform ints in range', () => {
    const r = new SeededRandom(1);
    const xs = r.normalArray(100_000, 1);
    let m = 0;
    for (const x of xs) m += x;
    m /= xs.length;
    let v = 0;
    for (const x of xs) v += (x - m) ** 2;
    v /= xs.length;
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(0.02);
    const ints = Array.from({ length: 1000 }, () => r.int(5, 9));
    expect(Math.min(...ints)).toBe(5);
    expect(Math.max(...ints)).toBe(9);
  });
});

describe('randomCheckpoint', () => {
  const raw = randomCheckpoint('AlbertForSequenceClassification', config, 0);

  it('has every parameter of the head with its shape', () => {
    const params = headParams('AlbertForSequenceClassification', config);
    expect([...raw.keys()].sort()).toEqual(params.map((p) => p.name).sort());
    for (const p of params) expect(raw.get(p.name)!.shape).toEqual(p.shape);
  });

  it('initialises as transformers: LayerNorm 1, biases 0, N(0, 0.02) matrices, padding row 0', () => {
    expect([...raw.get('albert.embeddings.LayerNorm.weight')!.data].every((x) => x === 1)).toBe(true);
    expect(
      [...raw.get('albert.encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.weight')!.data].every(
        (x) => x === 1,
      ),
    ).toBe(true);
    expect(
      [...raw.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias')!.data].every((x) => x === 0),
    ).toBe(true);
    const emb = raw.get('albert.embeddings.word_embeddings.weight')!;
    const E = config.embedding_size;
    expect([...emb.data.subarray(0, E)].every((x) => x === 0)).toBe(true); // pad_token_id 0
    const w = raw.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!.data as Float32Array;
    let s = 0;
    for (const x of w) s += x * x;
    expect(Math.sqrt(s / w.length)).toBeGreaterThan(0.015);
    expect(Math.sqrt(s / w.length)).toBeLessThan(0.025);
  });

  it('binds through core and counts parameters; the same seed gives the same weights', () => {
    const { weights, parameters } = randomWeights('AlbertForSequenceClassification', config, 0);
    expect(parameters).toBe(
      headParams('AlbertForSequenceClassification', config).reduce((n, p) => n + numel(p.shape), 0),
    );
    expect(weights.f32('albert.pooler.weight').data).toEqual(raw.get('albert.pooler.weight')!.data);
    const other = randomCheckpoint('AlbertForSequenceClassification', config, 1);
    expect(other.get('albert.pooler.weight')!.data).not.toEqual(raw.get('albert.pooler.weight')!.data);
  });
});

describe('makeBatch', () => {
  it('draws ordinary ids, full attention and the labels each head needs', () => {
    const b = makeBatch('AlbertForSequenceClassification', config, 3, 5, 0, true);
    const ids = b.inputs.input_ids as Tensor<BigInt64Array>;
    expect(ids.shape).toEqual([3, 5]);
    expect([...ids.data].every((x) => x >= 5n && x < BigInt(config.vocab_size))).toBe(true);
    expect((b.inputs.labels as Tensor).shape).toEqual([3]);
    const m = makeBatch('AlbertModel', config, 2, 4, 0, true);
    expect(m.cotangents?.last_hidden_state?.shape).toEqual([2, 4, config.hidden_size]);
    expect(makeBatch('AlbertModel', config, 2, 4, 0, false).inputs.input_ids).toEqual(m.inputs.input_ids);
  });

  it('refuses multiple choice, whose inputs are [B, C, S]', () => {
    expect(() => makeBatch('AlbertForMultipleChoice', config, 1, 4, 0, false)).toThrow(/AlbertForMultipleChoice/);
  });
});
