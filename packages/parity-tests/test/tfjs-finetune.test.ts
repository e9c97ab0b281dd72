// Fine-tuning the fixture `tiny` AlbertForSequenceClassification (HF checkpoint, 3 labels) with the
// tfjs Trainer on a synthetic 3-class task: accuracy on held-out data ends clearly above chance.
import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { createBackend, mulberry32, Trainer } from '@albertjs/tfjs';
import { describe, expect, it } from 'vitest';
import { listCases } from '../src/index.js';

/** Sequences of 12 ids: [CLS], 4 "sentiment" words of the label's class (ids 10+20k … 29+20k), filler (100…999), [SEP]. */
function dataset(n: number, seed: number) {
  const r = mulberry32(seed);
  const S = 12;
  return Array.from({ length: n }, () => {
    const label = Math.floor(r() * 3);
    const ids = Array.from({ length: S }, () => 100 + Math.floor(r() * 900));
    ids[0] = 2;
    ids[S - 1] = 3;
    for (let k = 0; k < 4; k++) ids[1 + Math.floor(r() * (S - 2))] = 10 + 20 * label + Math.floor(r() * 20);
    return { ids, label };
  });
}

const batches = (data: ReturnType<typeof dataset>, B: number) =>
  Array.from({ length: Math.ceil(data.length / B) }, (_, i) => {
    const part = data.slice(i * B, (i + 1) * B);
    return { input_ids: part.map((d) => d.ids), labels: part.map((d) => d.label) };
  });

describe('fine-tuning the fixture tiny sequence classifier (tfjs Trainer)', () => {
  it('reaches held-out accuracy clearly above chance (1/3)', async () => {
    const c = listCases().find(
      (x) => x.config === 'tiny' && x.head === 'AlbertForSequenceClassification' && x.variant === 'eager',
    )!;
    const { config, tensors } = await readCheckpointDir(c.modelPath);
    expect(config.num_labels).toBe(3);
    const backend = await createBackend({ runtime: 'wasm' });
    const model = await backend.loadModel(
      'AlbertForSequenceClassification',
      config,
      bindWeights('AlbertForSequenceClassification', config, tensors).weights,
    );
    const train = batches(dataset(960, 1), 32);
    const test = batches(dataset(300, 2), 100);
    const epochs = 3;
    const trainer = new Trainer(model, { learningRate: 3e-3, warmupSteps: 10, totalSteps: train.length * epochs });
    const before = await trainer.evaluate(test);
    for (let e = 0; e < epochs; e++) for (const b of train) await trainer.trainStep(b);
    const after = await trainer.evaluate(test);
    console.log(
      `fine-tuning: held-out accuracy ${before.accuracy!.toFixed(3)} → ${after.accuracy!.toFixed(3)}, loss ${before.loss.toFixed(3)} → ${after.loss.toFixed(3)}`,
    );
    expect(after.examples).toBe(300);
    // The accuracy the trainer reports is the argmax of forward()'s logits.
    let hits = 0;
    for (const b of test) {
      const { logits } = await model.forward({ input_ids: b.input_ids });
      b.labels.forEach((l, i) => {
        const row = Array.from(logits.data.subarray(i * 3, i * 3 + 3));
        if (row.indexOf(Math.max(...row)) === l) hits++;
      });
    }
    expect(hits / 300).toBeCloseTo(after.accuracy!, 6);
    expect(after.accuracy!).toBeGreaterThan(0.55);
    expect(after.loss).toBeLessThan(before.loss);
    trainer.dispose();
    model.dispose();
  }, 300_000); // ≈ 10 s of CPU; the margin is for a machine shared with other jobs
});
