// Gradient checkpointing gives the same loss and gradients as keeping every activation (dropout masks
// included), frees what it should, and really lowers the peak of a gradient computation.
// (Parity of checkpointed gradients with transformers' fixtures: packages/parity-tests/test/tfjs-checkpointing.test.ts.)
import { type AlbertInputs, type HeadName, Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { type TfjsAlbertModel, Trainer, tf } from '../src/index.js';
import { cpuBackend, ids, tinyConfig, tinyModel } from './helpers.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** Loss and every parameter gradient of one run (dropout on when `seed` is given), with tf.profile's peak. */
async function lossAndGrads<H extends HeadName>(
  model: TfjsAlbertModel<H>,
  inputs: AlbertInputs,
  gradientCheckpointing: boolean,
  seed?: number,
) {
  const prepared = model.prepare(inputs);
  const vars = [...model.params.variables.values()];
  let result: { loss: number; grads: Map<string, Float32Array> } | undefined;
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(
      () =>
        model.objective(
          model.run(prepared, {
            lossOnly: true,
            gradientCheckpointing,
            ...(seed !== undefined ? { training: true, seed } : {}),
          }),
        ) as tf.Scalar,
      vars,
    );
    const named = new Map<string, Float32Array>();
    for (const [name, v] of model.params.variables) named.set(name, grads[v.name]!.dataSync() as Float32Array);
    result = { loss: value.dataSync()[0]!, grads: named };
    tf.dispose([value, ...Object.values(grads)]);
  });
  return { ...result!, peakBytes: profile.peakBytes };
}

describe('gradient checkpointing', () => {
  const c = tinyConfig({ hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0.3, classifier_dropout_prob: 0.1 });
  const x = ids(3, 10, c.vocab_size);
  const mlm = { input_ids: x, labels: x.map((r) => r.map((t, i) => (i % 3 === 1 ? t : -100))) };

  it.each(['eager', 'sdpa'] as const)(
    '%s: same loss and every gradient as without it, dropout off and on (seeded masks)',
    async (attn) => {
      const b = await cpuBackend();
      const model = await tinyModel(b, 'AlbertForMaskedLM', c);
      model.attnImplementation = attn;
      for (const seed of [undefined, 7]) {
        const plain = await lossAndGrads(model, mlm, false, seed);
        const ckpt = await lossAndGrads(model, mlm, true, seed);
        expect(ckpt.loss).toBeCloseTo(plain.loss, 6);
        expect(ckpt.grads.size).toBe(model.params.variables.size);
        for (const [name, g] of plain.grads) {
          expect(maxDiff(ckpt.grads.get(name)!, g), `${name} (seed ${seed})`).toBeLessThan(1e-6);
          // every parameter gets a gradient (shared layers summed over their applications)
          expect(
            g.some((v) => v !== 0),
            name,
          ).toBe(true);
        }
      }
      // dropout is really on in the seeded run: another seed gives another loss
      const other = await lossAndGrads(model, mlm, true, 8);
      expect(Math.abs(other.loss - (await lossAndGrads(model, mlm, true, 7)).loss)).toBeGreaterThan(1e-4);
      model.dispose();
    },
  );

  it('head_mask rows and AlbertModel cotangents go through the recompute unchanged', async () => {
    const b = await cpuBackend();
    const model = await tinyModel(b, 'AlbertModel', c);
    const head_mask = new Float32Array(c.num_hidden_layers * c.num_attention_heads).map((_, i) => (i % 3) / 2);
    const inputs: AlbertInputs = {
      input_ids: x,
      attention_mask: x.map((r, i) => r.map((_, j) => (j < 10 - i ? 1 : 0))),
      head_mask: Tensor.f32(head_mask, [c.num_hidden_layers, c.num_attention_heads]),
    };
    const cot = (shape: number[], s: number) =>
      Tensor.f32(
        Float32Array.from({ length: shape.reduce((a, d) => a * d) }, (_, i) => Math.sin(i * s)),
        shape,
      );
    const cotangents = {
      last_hidden_state: cot([3, 10, c.hidden_size], 0.37),
      pooler_output: cot([3, c.hidden_size], 0.71),
    };
    const plain = await model.gradients(inputs, cotangents);
    model.gradientCheckpointingEnable();
    const ckpt = await model.gradients(inputs, cotangents);
    model.gradientCheckpointingDisable();
    expect(ckpt.loss).toBeCloseTo(plain.loss, 5);
    for (const [name, g] of plain.grads) expect(maxDiff(ckpt.grads.get(name)!.data, g.data), name).toBeLessThan(1e-6);
    model.dispose();
  });

  it('Trainer steps with dropout: same losses and weights with and without it; no tensor leaks', async () => {
    const b = await cpuBackend();
    const run = async (gradientCheckpointing: boolean) => {
      const model = await tinyModel(b, 'AlbertForMaskedLM', c);
      model.gradientCheckpointing = gradientCheckpointing;
      const trainer = new Trainer(model, { learningRate: 1e-2, totalSteps: 10, eps: 1, seed: 3 });
      const losses: number[] = [];
      losses.push((await trainer.trainStep(mlm)).loss);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) losses.push((await trainer.trainStep(mlm)).loss);
      expect(tf.memory().numTensors).toBe(before);
      const weights = new Map([...model.params.variables].map(([k, v]) => [k, v.dataSync().slice()]));
      trainer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const plain = await run(false);
    const ckpt = await run(true);
    for (let i = 0; i < plain.losses.length; i++) expect(ckpt.losses[i]).toBeCloseTo(plain.losses[i]!, 5);
    for (const [k, w] of plain.weights) expect(maxDiff(ckpt.weights.get(k)!, w), k).toBeLessThan(1e-5);
  });

  it('lowers the peak tensor bytes of a gradient computation (8 layer applications)', async () => {
    const b = await cpuBackend();
    const deep = tinyConfig({
      num_hidden_layers: 8,
      num_hidden_groups: 1,
      inner_group_num: 1,
      hidden_size: 32,
      intermediate_size: 128,
      max_position_embeddings: 48,
    });
    const model = await tinyModel(b, 'AlbertForMaskedLM', deep);
    const y = ids(2, 48, deep.vocab_size);
    const inputs = { input_ids: y, labels: y.map((r) => r.map((t, i) => (i % 4 === 0 ? t : -100))) };
    const plain = await lossAndGrads(model, inputs, false);
    const ckpt = await lossAndGrads(model, inputs, true);
    // Plain keeps 8 layers' activations; checkpointed keeps 8 layer inputs + one layer's activations.
    expect(ckpt.peakBytes).toBeLessThan(plain.peakBytes / 2);
    console.log(`peak tensor bytes, 8 layers, 2×48: ${plain.peakBytes} plain, ${ckpt.peakBytes} checkpointed`);
    const before = tf.memory().numTensors;
    await model.gradients(inputs);
    model.gradientCheckpointingEnable();
    await model.gradients(inputs);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
