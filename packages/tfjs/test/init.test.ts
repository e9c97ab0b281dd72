import { AlbertConfig, headParams } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { initTensors } from '../src/index.js';

describe('initTensors (AlbertPreTrainedModel._init_weights)', () => {
  const c = new AlbertConfig({
    vocab_size: 300,
    embedding_size: 16,
    hidden_size: 32,
    num_attention_heads: 4,
    intermediate_size: 64,
    num_hidden_layers: 2,
    initializer_range: 0.05,
  });
  const t = initTensors('AlbertForMaskedLM', c, 7);

  it('covers every parameter of the head with its shape', () => {
    expect([...t.keys()].sort()).toEqual(
      headParams('AlbertForMaskedLM', c)
        .map((p) => p.name)
        .sort(),
    );
    for (const p of headParams('AlbertForMaskedLM', c)) expect(t.get(p.name)!.shape).toEqual(p.shape);
  });

  it('weights ~ normal(0, initializer_range), biases 0, LayerNorm 1/0, padding row 0; seeded', () => {
    const w = t.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!.data;
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeGreaterThan(0.045);
    expect(std).toBeLessThan(0.055);
    expect(t.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias')!.data.every((x) => x === 0)).toBe(
      true,
    );
    expect(t.get('predictions.LayerNorm.weight')!.data.every((x) => x === 1)).toBe(true);
    expect(t.get('albert.embeddings.LayerNorm.bias')!.data.every((x) => x === 0)).toBe(true);
    const emb = t.get('albert.embeddings.word_embeddings.weight')!.data;
    expect(emb.subarray(0, 16).every((x) => x === 0)).toBe(true); // pad_token_id 0
    expect(emb.subarray(16, 32).some((x) => x !== 0)).toBe(true);
    expect(initTensors('AlbertForMaskedLM', c, 7).get('predictions.dense.weight')!.data).toEqual(
      t.get('predictions.dense.weight')!.data,
    );
    expect(initTensors('AlbertForMaskedLM', c, 8).get('predictions.dense.weight')!.data).not.toEqual(
      t.get('predictions.dense.weight')!.data,
    );
  });
});
