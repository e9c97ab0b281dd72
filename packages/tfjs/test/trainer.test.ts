import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindWeights, readCheckpointDir, Tensor } from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Trainer, tf } from '../src/index.js';
import { cpuBackend, ids, tinyConfig, tinyModel } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'albertjs-tfjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('Trainer', () => {
  const c = tinyConfig({ num_labels: 3, hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0.1 });
  const x = ids(4, 6, c.vocab_size);
  const labels = [0, 2, 1, 2];

  it('dropout is active only while training', async () => {
    const b = await cpuBackend();
    const model = await tinyModel(b, 'AlbertForSequenceClassification', c);
    const a1 = await model.forward({ input_ids: x });
    const a2 = await model.forward({ input_ids: x });
    expect(maxDiff(a1.logits.data, a2.logits.data)).toBe(0);
    const prepared = model.prepare({ input_ids: x });
    const [t1, t2] = tf.tidy(() => [
      model.run(prepared, { training: true }).fields.logits!.dataSync(),
      model.run(prepared, { training: true }).fields.logits!.dataSync(),
    ]);
    expect(maxDiff(t1!, t2!)).toBeGreaterThan(1e-4);
    expect(maxDiff(t1!, a1.logits.data)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('a seeded trainer is reproducible with dropout on; another seed gives other masks', async () => {
    const b = await cpuBackend();
    const run = async (seed: number) => {
      const model = await tinyModel(b, 'AlbertForSequenceClassification', c);
      const trainer = new Trainer(model, { learningRate: 1e-2, totalSteps: 5, seed });
      const losses = [];
      for (let i = 0; i < 2; i++) losses.push((await trainer.trainStep({ input_ids: x, labels })).loss);
      const w = model.params.get('classifier.weight').dataSync().slice();
      trainer.dispose();
      model.dispose();
      return { losses, w };
    };
    const a = await run(5);
    const a2 = await run(5);
    const other = await run(6);
    expect(a2.losses).toEqual(a.losses);
    expect(maxDiff(a2.w, a.w)).toBe(0);
    expect(other.losses[0]).not.toBe(a.losses[0]);
  });

  it('gradient accumulation over two halves equals one step on the whole batch', async () => {
    const b = await cpuBackend();
    const noDrop = tinyConfig({ num_labels: 3, classifier_dropout_prob: 0 });
    const m1 = await tinyModel(b, 'AlbertForSequenceClassification', noDrop);
    const m2 = await tinyModel(b, 'AlbertForSequenceClassification', noDrop);
    // eps = 1 makes the first Adam step ≈ lr·g / (|g| + 1): smooth in g, so equal gradients give equal weights
    // (with the default eps the first step is lr·sign(g), which float noise in near-zero gradients flips).
    const opts = { learningRate: 0.1, eps: 1, totalSteps: 10, maxGradNorm: 0.5 };
    const whole = new Trainer(m1, opts);
    const halves = new Trainer(m2, { ...opts, gradientAccumulationSteps: 2 });
    const r = await whole.trainStep({ input_ids: x, labels });
    expect(r.updated).toBe(true);
    expect(r.gradNorm).toBeGreaterThan(0);
    expect((await halves.trainStep({ input_ids: x.slice(0, 2), labels: labels.slice(0, 2) })).updated).toBe(false);
    expect((await halves.trainStep({ input_ids: x.slice(2), labels: labels.slice(2) })).updated).toBe(true);
    // lr at step 0 is the peak (no warmup); both took one update.
    expect(whole.step).toBe(1);
    expect(halves.step).toBe(1);
    for (const [k, v] of m1.params.variables)
      expect(maxDiff(v.dataSync(), m2.params.get(k).dataSync()), k).toBeLessThan(1e-6);
    const before = (await m1.forward({ input_ids: x })).logits.data;
    const orig = await tinyModel(b, 'AlbertForSequenceClassification', noDrop);
    expect(maxDiff(before, (await orig.forward({ input_ids: x })).logits.data)).toBeGreaterThan(1e-4);
    for (const m of [m1, m2, orig]) m.dispose();
    whole.dispose();
    halves.dispose();
  });

  it('evaluates, saves model.safetensors + config.json, and core reloads identical outputs', async () => {
    const b = await cpuBackend();
    const model = await tinyModel(b, 'AlbertForMaskedLM', tinyConfig());
    const trainer = new Trainer(model, { learningRate: 5e-3, totalSteps: 3, warmupSteps: 1 });
    const mlmLabels = x.map((r) => r.map((t, i) => (i % 3 === 0 ? t : -100)));
    for (let i = 0; i < 3; i++) await trainer.trainStep({ input_ids: x, labels: mlmLabels });
    const ev = await trainer.evaluate([{ input_ids: x, labels: mlmLabels }]);
    expect(ev.examples).toBe(4);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0);
    const files = await trainer.save(join(dir, 'mlm'));
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(['config.json', 'model.safetensors']);
    const { config, tensors } = await readCheckpointDir(join(dir, 'mlm'));
    expect(config.architectures).toEqual(['AlbertForMaskedLM']);
    expect(tensors.has('predictions.decoder.weight')).toBe(false); // tied, stored once as on the Hub
    const { weights, report } = bindWeights('AlbertForMaskedLM', config, tensors);
    expect(report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    const reloaded = await b.loadModel('AlbertForMaskedLM', config, weights);
    const inputs = { input_ids: x, labels: mlmLabels };
    const a = await model.forward(inputs);
    const r = await reloaded.forward(inputs);
    expect(maxDiff(a.logits.data, r.logits.data)).toBe(0);
    expect(r.loss!.data[0]).toBeCloseTo(ev.loss, 5);
    reloaded.dispose();
    model.dispose();
    trainer.dispose();
  });

  it('fit() runs micro-batches to maxSteps, evaluates every N steps and saves', async () => {
    const b = await cpuBackend();
    const model = await tinyModel(b, 'AlbertForSequenceClassification', c);
    const trainer = new Trainer(model, { learningRate: 1e-3, totalSteps: 4, gradientAccumulationSteps: 2 });
    const log: { step: number; eval?: unknown }[] = [];
    const data = function* () {
      for (;;) yield { input_ids: x, labels };
    };
    const r = await trainer.fit(data(), {
      evalEvery: 2,
      evalBatches: () => [{ input_ids: x, labels }],
      saveDir: join(dir, 'fit'),
      onLog: (e) => log.push(e),
    });
    expect(r.steps).toBe(4);
    expect(r.evals.map((e) => e.step)).toEqual([2, 4]);
    expect(log.filter((e) => !e.eval).map((e) => e.step)).toEqual([1, 3, 4]);
    expect((await readCheckpointDir(join(dir, 'fit'))).config.architectures).toEqual([
      'AlbertForSequenceClassification',
    ]);
    trainer.dispose();
    model.dispose();
  });

  it('refuses a NaN loss (every label ignored)', async () => {
    const b = await cpuBackend();
    const model = await tinyModel(b, 'AlbertForMaskedLM', tinyConfig());
    const trainer = new Trainer(model, { learningRate: 1e-3, totalSteps: 1 });
    await expect(
      trainer.trainStep({ input_ids: x, labels: Tensor.i64(new BigInt64Array(24).fill(-100n), [4, 6]) }),
    ).rejects.toThrow(/loss is NaN/);
    trainer.dispose();
    model.dispose();
  });
});
