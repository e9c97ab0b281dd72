import { describe, expect, it } from 'vitest';
import {
  AlbertConfig,
  headParams,
  InputError,
  mulberry32,
  normals,
  type RandomWeightsStyle,
  randomTensors,
  randomWeightMap,
  tiedKeys,
} from '../src/index.js';

const config = new AlbertConfig({
  vocab_size: 40,
  embedding_size: 8,
  hidden_size: 16,
  num_attention_heads: 2,
  intermediate_size: 32,
  num_hidden_layers: 2,
  initializer_range: 0.05,
});

function stats(x: Float32Array): { mean: number; std: number } {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  return { mean, std: Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length) };
}

describe('mulberry32 / normals', () => {
  it('is seeded, in [0, 1), and normals have the asked mean and std', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    const { mean, std } = stats(normals(mulberry32(1), 20001, 2, 3));
    expect(Math.abs(mean - 3)).toBeLessThan(0.05);
    expect(Math.abs(std - 2)).toBeLessThan(0.05);
  });
});

describe('randomTensors', () => {
  it("'perturbed' moves biases off 0 and LayerNorm weights off 1; omitTied drops the tied keys", () => {
    const t = randomTensors('AlbertForMaskedLM', config, { seed: 3, style: 'perturbed', omitTied: true });
    const tied = Object.keys(tiedKeys('AlbertForMaskedLM', config));
    expect(tied.length).toBeGreaterThan(0);
    for (const k of tied) expect(t.has(k)).toBe(false);
    const ln = stats(t.get('albert.embeddings.LayerNorm.weight')!.data);
    expect(Math.abs(ln.mean - 1)).toBeLessThan(0.1);
    expect(ln.std).toBeGreaterThan(0.02);
    expect(t.get('predictions.dense.bias')!.data.some((x) => x !== 0)).toBe(true);
    const w = stats(t.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!.data);
    expect(w.std).toBeGreaterThan(0.04);
    expect(w.std).toBeLessThan(0.06);
  });

  it("'init' is transformers' _init_weights and randomWeightMap binds it (tied keys filled in)", () => {
    const { weights, raw } = randomWeightMap('AlbertForMaskedLM', config, { seed: 5 });
    expect([...raw.keys()].sort()).toEqual(
      headParams('AlbertForMaskedLM', config)
        .map((p) => p.name)
        .sort(),
    );
    expect(raw.get('predictions.dense.bias')!.data.every((x) => x === 0)).toBe(true);
    expect(raw.get('predictions.LayerNorm.weight')!.data.every((x) => x === 1)).toBe(true);
    expect(
      raw
        .get('albert.embeddings.word_embeddings.weight')!
        .data.subarray(0, 8)
        .every((x) => x === 0),
    ).toBe(true);
    for (const k of Object.keys(tiedKeys('AlbertForMaskedLM', config))) expect(weights.has(k)).toBe(true);
  });

  it('rejects an unknown style, naming it', () => {
    expect(() => randomTensors('AlbertModel', config, { style: 'xavier' as RandomWeightsStyle })).toThrow(InputError);
    expect(() => randomTensors('AlbertModel', config, { style: 'xavier' as RandomWeightsStyle })).toThrow(/xavier/);
  });
});
