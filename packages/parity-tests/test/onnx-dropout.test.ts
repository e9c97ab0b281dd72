// Dropout in onnx training (@albertjs/onnx): the training graph multiplies each dropout site by a mask
// input (0 or 1/(1-p)) drawn on the host from the trainer's seed. With fixed masks the graph's gradients
// equal central finite differences of its loss; all-ones masks give the loss without dropout; the same
// seed gives bit-identical runs, another seed another run; training with dropout lowers the loss.
import {
  AlbertConfig,
  type AlbertInputs,
  bindWeights,
  ConfigError,
  type HeadName,
  prepareInputs,
  readCheckpointDir,
} from '@albertjs/core';
import { createBackend as createOnnx, type OnnxModelHandle, OnnxTrainer } from '@albertjs/onnx';
import { mulberry32 } from '@albertjs/tfjs';
import { describe, expect, it } from 'vitest';
import { listCases } from '../src/index.js';

const head: HeadName = 'AlbertForSequenceClassification';
const DROPOUT = { hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, classifier_dropout_prob: 0.2 };

async function model(): Promise<OnnxModelHandle<typeof head>> {
  const c = listCases().find((x) => x.config === 'tiny' && x.head === head && x.variant === 'eager')!;
  const { config, tensors } = await readCheckpointDir(c.modelPath);
  const cfg = AlbertConfig.fromJSON({ ...config.toJSON(), ...DROPOUT });
  const weights = bindWeights(head, cfg, tensors).weights;
  return (await (await createOnnx({ flavour: 'standard' })).loadModel(head, cfg, weights)) as never;
}

/** Seeded batches of B × 12 ids with a learnable label (the class of the first word). */
function batches(n: number, B: number, seed: number): AlbertInputs[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const input_ids = Array.from({ length: B }, () => Array.from({ length: 12 }, () => 5 + Math.floor(r() * 990)));
    return { input_ids, labels: input_ids.map((row) => row[1]! % 3) } as AlbertInputs;
  });
}

async function losses(m: OnnxModelHandle<typeof head>, seed: number, data: AlbertInputs[], dropout?: 'off') {
  const t = new OnnxTrainer(m, { learningRate: 5e-3, totalSteps: 24, seed, ...(dropout ? { dropout } : {}) });
  const out: number[] = [];
  for (const b of data) out.push((await t.trainStep(b)).loss);
  return out;
}

describe('onnx training with dropout', () => {
  it('gradients with fixed masks equal finite differences; all-ones masks give the loss without dropout', async () => {
    const m = await model();
    const runner = m.training;
    const p = prepareInputs(head, m.config, batches(1, 2, 11)[0]!);
    const drawn = new Map<string, Float32Array>();
    const rand = mulberry32(5);
    const fixed = (site: { name: string; rate: number }, shape: number[]) => {
      let mask = drawn.get(site.name);
      if (!mask) {
        const n = shape.reduce((a, b) => a * b, 1);
        mask = Float32Array.from({ length: n }, () => (rand() >= site.rate ? 1 / (1 - site.rate) : 0));
        drawn.set(site.name, mask);
      }
      return mask;
    };
    const r = await runner.step(p, undefined, 'grads', fixed);
    // every site of the config: embeddings, 2 × (attention probabilities, attention output), classifier
    expect([...drawn.keys()].sort()).toEqual(
      [
        'dropout.classifier',
        'dropout.embeddings',
        ...Array.from({ length: m.config.num_hidden_layers * m.config.inner_group_num }, (_, k) => [
          `dropout.attention_output.${k}`,
          `dropout.attention_probs.${k}`,
        ]).flat(),
      ].sort(),
    );
    const plain = (await runner.step(p, undefined, 'eval')).loss;
    expect(Math.abs(r.loss - plain)).toBeGreaterThan(1e-4); // the masks change the loss
    const ones = (_: unknown, shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1);
    expect((await runner.step(p, undefined, 'eval', ones)).loss).toBeCloseTo(plain, 6);

    const names = [
      'classifier.weight',
      'albert.pooler.weight',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.attention.value.weight',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn_output.weight',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.attention.dense.bias',
      'albert.embeddings.LayerNorm.weight',
      'albert.embeddings.word_embeddings.weight',
    ];
    const eps = 1e-2;
    for (const name of names) {
      const g = r.grads.get(name)!.data as Float32Array;
      let k = 0; // the entry with the largest gradient
      for (let j = 1; j < g.length; j++) if (Math.abs(g[j]!) > Math.abs(g[k]!)) k = j;
      const w = runner.params.get(name)!.data as Float32Array;
      const w0 = w[k]!;
      w[k] = w0 + eps;
      const up = (await runner.step(p, undefined, 'eval', fixed)).loss;
      w[k] = w0 - eps;
      const down = (await runner.step(p, undefined, 'eval', fixed)).loss;
      w[k] = w0;
      const fd = (up - down) / (2 * eps);
      expect(Math.abs(g[k]!), name).toBeGreaterThan(5e-4);
      expect(Math.abs(fd - g[k]!), `${name}[${k}]: fd ${fd}, graph ${g[k]}`).toBeLessThanOrEqual(
        3e-5 + 1e-2 * Math.abs(g[k]!),
      );
    }
    m.dispose();
  }, 60_000);

  it('the same seed gives bit-identical losses, another seed others; the loss falls', async () => {
    const two = batches(2, 8, 3);
    const data = Array.from({ length: 24 }, (_, k) => two[k % 2]!); // fits two batches: the loss must fall
    const m1 = await model();
    const a = await losses(m1, 7, data);
    m1.dispose();
    const m2 = await model();
    const b = await losses(m2, 7, data.slice(0, 4));
    m2.dispose();
    expect(b).toEqual(a.slice(0, 4));
    const m3 = await model();
    const c = await losses(m3, 8, data.slice(0, 4));
    m3.dispose();
    expect(c[0]).not.toBe(a[0]);
    const m4 = await model();
    const off = await losses(m4, 7, data.slice(0, 1), 'off');
    m4.dispose();
    expect(off[0]).not.toBe(a[0]);
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(mean(a.slice(-6))).toBeLessThan(mean(a.slice(0, 6)) - 0.1);
  }, 60_000);

  it('refuses an unknown dropout option, naming it', async () => {
    const m = await model();
    expect(() => new OnnxTrainer(m, { learningRate: 1e-3, totalSteps: 1, dropout: 'error' as never })).toThrow(
      ConfigError,
    );
    expect(() => new OnnxTrainer(m, { learningRate: 1e-3, totalSteps: 1, dropout: 'error' as never })).toThrow(
      /"error"/,
    );
    m.dispose();
  });
});
