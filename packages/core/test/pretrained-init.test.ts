// loadPretrained on a checkpoint without the requested head: transformers' from_pretrained initialises the missing
// weights with _init_weights (normal(0, initializer_range) for Linear/Embedding weights, zero biases incl.
// AlbertMLMHead.bias, LayerNorm 1/0, padding row 0), lists them in the load report and warns; config overrides and
// ignore_mismatched_sizes as from_pretrained(**kwargs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlbertConfig,
  applyConfigOverrides,
  CheckpointError,
  ConfigError,
  loadPretrained,
  randomTensors,
  savePretrained,
} from '@albertjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'albertjs-pretrained-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = new AlbertConfig({
  vocab_size: 300,
  embedding_size: 16,
  hidden_size: 256,
  num_attention_heads: 4,
  intermediate_size: 32,
  num_hidden_layers: 1,
  max_position_embeddings: 16,
  initializer_range: 0.05,
});
const mlmDir = join(tmp, 'mlm');
const baseDir = join(tmp, 'base');
const clsDir = join(tmp, 'cls');
const mlm = randomTensors('AlbertForMaskedLM', config, { seed: 3, style: 'perturbed', omitTied: true });
const base = randomTensors('AlbertModel', config, { seed: 4, style: 'perturbed' });

beforeAll(async () => {
  await savePretrained(mlmDir, config, mlm, { head: 'AlbertForMaskedLM' });
  await savePretrained(baseDir, config, base, { head: 'AlbertModel' });
  const cls = new AlbertConfig({ ...config.toJSON(), num_labels: 2 } as never);
  await savePretrained(clsDir, cls, randomTensors('AlbertForSequenceClassification', cls, { seed: 5 }), {
    head: 'AlbertForSequenceClassification',
  });
});

function stats(a: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const x of a) s += x;
  const mean = s / a.length;
  let v = 0;
  for (const x of a) v += (x - mean) ** 2;
  return { mean, std: Math.sqrt(v / a.length) };
}

describe('loadPretrained initialises a missing head as _init_weights', () => {
  it('classifier on an MLM checkpoint: normal(0, initializer_range) weights, zero biases, report and warning', async () => {
    const warnings: string[] = [];
    const m = await loadPretrained(mlmDir, 'AlbertForSequenceClassification', {
      config: { num_labels: 100 },
      onWarning: (w) => warnings.push(w),
    });
    const fresh = ['albert.pooler.weight', 'albert.pooler.bias', 'classifier.weight', 'classifier.bias'];
    expect(m.report.missing).toEqual(fresh);
    expect(m.report.newlyInitialized).toEqual(fresh);
    expect(m.report.unexpected.sort()).toEqual(
      [
        'predictions.LayerNorm.bias',
        'predictions.LayerNorm.weight',
        'predictions.bias',
        'predictions.dense.bias',
        'predictions.dense.weight',
      ].sort(),
    );
    expect(m.config.num_labels).toBe(100);
    const w = m.weights.f32('classifier.weight', [100, 256]).data; // 25,600 draws
    const { mean, std } = stats(w);
    // mean of n normal(0, σ²) draws: |mean| < 4σ/√n; sample std within 2 % of σ
    expect(Math.abs(mean)).toBeLessThan((4 * 0.05) / Math.sqrt(w.length));
    expect(Math.abs(std / 0.05 - 1)).toBeLessThan(0.02);
    expect([...m.weights.f32('classifier.bias').data].every((x) => x === 0)).toBe(true);
    expect([...m.weights.f32('albert.pooler.bias').data].every((x) => x === 0)).toBe(true);
    expect(Math.abs(stats(m.weights.f32('albert.pooler.weight').data).std / 0.05 - 1)).toBeLessThan(0.02);
    // pretrained weights are the checkpoint's, untouched
    expect(m.weights.f32('albert.encoder.embedding_hidden_mapping_in.weight').data).toEqual(
      mlm.get('albert.encoder.embedding_hidden_mapping_in.weight')!.data,
    );
    expect(warnings).toEqual([
      `Some weights of AlbertForSequenceClassification were not initialized from the model checkpoint at ${mlmDir} and are newly initialized: [${fresh.join(', ')}]\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
    ]);
  });

  it('MLM head on a base checkpoint: LayerNorm 1/0, AlbertMLMHead.bias 0, decoder tied to the loaded embeddings', async () => {
    const m = await loadPretrained(baseDir, 'AlbertForMaskedLM', { onWarning: () => {} });
    expect(m.report.newlyInitialized).toEqual([
      'predictions.bias',
      'predictions.dense.weight',
      'predictions.dense.bias',
      'predictions.LayerNorm.weight',
      'predictions.LayerNorm.bias',
    ]);
    expect([...m.weights.f32('predictions.LayerNorm.weight').data].every((x) => x === 1)).toBe(true);
    for (const b of ['predictions.LayerNorm.bias', 'predictions.bias', 'predictions.dense.bias'])
      expect([...m.weights.f32(b).data].every((x) => x === 0)).toBe(true);
    expect(m.weights.get('predictions.decoder.weight')).toBe(m.weights.get('albert.embeddings.word_embeddings.weight'));
    expect(m.weights.f32('predictions.decoder.weight').data).toEqual(
      base.get('embeddings.word_embeddings.weight')!.data,
    );
  });

  it('is seeded: the same seed gives the same head, another seed another', async () => {
    const load = (seed?: number) =>
      loadPretrained(mlmDir, 'AlbertForTokenClassification', {
        config: { num_labels: 5 },
        onWarning: () => {},
        ...(seed === undefined ? {} : { seed }),
      });
    const [a, b, c] = await Promise.all([load(), load(0), load(7)]);
    expect(a.weights.f32('classifier.weight').data).toEqual(b.weights.f32('classifier.weight').data);
    expect(a.weights.f32('classifier.weight').data).not.toEqual(c.weights.f32('classifier.weight').data);
  });

  it('initializeMissing: false keeps the CheckpointError naming the missing weights', async () => {
    await expect(loadPretrained(mlmDir, 'AlbertForQuestionAnswering', { initializeMissing: false })).rejects.toThrow(
      /AlbertForQuestionAnswering: 2 weight\(s\) missing from the checkpoint: qa_outputs\.weight, qa_outputs\.bias/,
    );
  });

  it('a head of another size: CheckpointError, or newly initialised with ignoreMismatchedSizes', async () => {
    await expect(
      loadPretrained(clsDir, 'AlbertForSequenceClassification', { config: { num_labels: 3 } }),
    ).rejects.toThrow(CheckpointError);
    const warnings: string[] = [];
    const m = await loadPretrained(clsDir, 'AlbertForSequenceClassification', {
      config: { num_labels: 3 },
      ignoreMismatchedSizes: true,
      onWarning: (w) => warnings.push(w),
    });
    expect(m.report.mismatched).toEqual([
      { name: 'classifier.weight', checkpoint: [2, 256], model: [3, 256] },
      { name: 'classifier.bias', checkpoint: [2], model: [3] },
    ]);
    expect(m.report.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    expect(m.weights.f32('classifier.weight').shape).toEqual([3, 256]);
    expect(warnings).toEqual([
      `Some weights of AlbertForSequenceClassification were not initialized from the model checkpoint at ${clsDir} and are newly initialized because the shapes did not match:\n- classifier.weight: found shape [2, 256] in the checkpoint and [3, 256] in the model instantiated\n- classifier.bias: found shape [2] in the checkpoint and [3] in the model instantiated\nYou should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.`,
    ]);
  });

  it('a larger vocabulary with ignoreMismatchedSizes re-initialises the embeddings with the padding row 0', async () => {
    const m = await loadPretrained(baseDir, 'AlbertModel', {
      config: { vocab_size: 320 },
      ignoreMismatchedSizes: true,
      onWarning: () => {},
    });
    const e = m.weights.f32('embeddings.word_embeddings.weight', [320, 16]).data;
    expect([...e.subarray(0, 16)].every((x) => x === 0)).toBe(true); // pad_token_id 0
    expect(Math.abs(stats(e.subarray(16)).std / 0.05 - 1)).toBeLessThan(0.05);
  });
});

describe('config overrides', () => {
  it('num_labels, id2label / label2id, problem_type and dropout are applied', async () => {
    const m = await loadPretrained(mlmDir, 'AlbertForSequenceClassification', {
      config: {
        id2label: { 0: 'neg', 1: 'neu', 2: 'pos' },
        problem_type: 'multi_label_classification',
        classifier_dropout_prob: 0.2,
        hidden_dropout_prob: 0.1,
      },
      onWarning: () => {},
    });
    expect(m.config.num_labels).toBe(3);
    expect(m.config.label2id).toEqual({ neg: 0, neu: 1, pos: 2 });
    expect(m.config.problem_type).toBe('multi_label_classification');
    expect(m.config.classifier_dropout_prob).toBe(0.2);
    expect(m.config.hidden_dropout_prob).toBe(0.1);
    expect(m.weights.f32('classifier.weight').shape).toEqual([3, 256]);
  });

  it('invalid overrides are ConfigErrors naming the field and value', () => {
    const bad: [object, RegExp][] = [
      [{ num_labels: 0 }, /config\.num_labels = 0: expected a positive integer/],
      [
        { num_labels: 2, id2label: { 0: 'a', 1: 'b', 2: 'c' } },
        /num_labels = 2 but config\.id2label = .* has 3 labels/,
      ],
      [
        { id2label: { 0: 'a', 1: 'b' }, label2id: { a: 0, b: 0 } },
        /config\.label2id = .* is not the inverse of config\.id2label/,
      ],
      [{ id2label: { 0: 'a', 2: 'b' } }, /ids must be 0\.\.1, found 2/],
      [{ id2label: { 0: 'a', 1: 'a' } }, /label "a" appears twice/],
      [{ problem_type: 'ranking' }, /config\.problem_type = "ranking"/],
      [{ hidden_dropout_prob: 1.5 }, /config\.hidden_dropout_prob = 1\.5: must be a probability/],
      [{ classifier_dropout_prob: -0.1 }, /config\.classifier_dropout_prob = -0\.1/],
      [{ num_label: 3 }, /config override "num_label" is not a field that can change at load time/],
      [{ hidden_size: 512 }, /config override "hidden_size"/],
      [{ num_labels: 1, problem_type: 'single_label_classification' }, /needs num_labels >= 2, got 1/],
    ];
    for (const [o, re] of bad) {
      expect(() => applyConfigOverrides(config, o as never), JSON.stringify(o)).toThrow(ConfigError);
      expect(() => applyConfigOverrides(config, o as never), JSON.stringify(o)).toThrow(re);
    }
  });
});
