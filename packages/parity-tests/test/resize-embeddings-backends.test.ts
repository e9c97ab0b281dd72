// resizeTokenEmbeddings / getInputEmbeddings / setInputEmbeddings on every backend's loaded model (transformers'
// model.resize_token_embeddings, get_input_embeddings, set_input_embeddings): the same size, the same rows and the
// same logits as core's resizeTokenEmbeddings on the checkpoint (loaded fresh on that backend), tied and untied
// decoders, the same InputError everywhere, and calls made before a resize answering with the old size.
import {
  type AlbertConfig,
  type AlbertModelHandle,
  bindWeights,
  AlbertConfig as Config,
  InputError,
  loadPretrained,
  resizeTokenEmbeddings,
  Tensor,
  type WeightMap,
} from '@albertjs/core';
import { createBackend as createOnnx, OnnxTrainer } from '@albertjs/onnx';
import { defaultModelPath } from '@albertjs/pipelines';
import { createBackend as createTfjs, exportTensors, type TfjsAlbertModel, Trainer } from '@albertjs/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from './describe-backends.js';

const IDS = [[2, 15, 900, 7999, 31, 3]];

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** The default model with an untied decoder (tie_word_embeddings false, its own predictions.decoder.weight). */
function untied(config: AlbertConfig, weights: WeightMap): { config: AlbertConfig; weights: WeightMap } {
  const c = Config.fromJSON({ ...config.toJSON(), tie_word_embeddings: false });
  const raw = new Map(weights.tensors);
  const emb = weights.f32('albert.embeddings.word_embeddings.weight');
  const dec = new Float32Array(emb.data.length);
  for (let i = 0; i < dec.length; i++) dec[i] = emb.data[i]! * 0.5 + Math.sin(i) * 0.01;
  raw.set('predictions.decoder.weight', new Tensor('float32', dec, emb.shape));
  return { config: c, weights: bindWeights('AlbertForMaskedLM', c, raw).weights };
}

let base: { config: AlbertConfig; weights: WeightMap };
beforeAll(async () => {
  base = await loadPretrained(defaultModelPath(), 'AlbertForMaskedLM');
});

describeBackends('model.resizeTokenEmbeddings', (b) => {
  const load = (m: { config: AlbertConfig; weights: WeightMap }) =>
    b.backend.loadModel('AlbertForMaskedLM', m.config, m.weights);

  for (const tie of [true, false]) {
    it(`${tie ? 'tied' : 'untied'} decoder: same size, rows and logits as core's resize of the checkpoint`, async () => {
      const m = tie ? base : untied(base.config, base.weights);
      const V = m.config.vocab_size;
      const model = await load(m);
      try {
        const n = await model.resizeTokenEmbeddings(V + 3, { padToMultipleOf: 64, seed: 7 });
        expect(n).toBe(Math.ceil((V + 3) / 64) * 64);
        expect(model.config.vocab_size).toBe(n);
        const emb = await model.getInputEmbeddings();
        const want = resizeTokenEmbeddings('AlbertForMaskedLM', m.config, m.weights, V + 3, {
          padToMultipleOf: 64,
          seed: 7,
        });
        expect(emb.shape).toEqual([n, m.config.embedding_size]);
        expect(emb.data).toEqual(want.weights.f32('albert.embeddings.word_embeddings.weight').data);
        const ids = [[...IDS[0]!.slice(0, 5), n - 1, 3]]; // a new row is read by the gather too
        const got = await model.forward({ input_ids: ids });
        expect(got.logits.shape).toEqual([1, 7, n]);
        const fresh = await load(want);
        try {
          expect(maxDiff(got.logits.data, (await fresh.forward({ input_ids: ids })).logits.data)).toBeLessThan(1e-5);
        } finally {
          fresh.dispose();
        }
      } finally {
        model.dispose();
      }
    }, 120_000);
  }

  it('meanResizing: false, shrinking, setInputEmbeddings, and the same InputError on every backend', async () => {
    const model = await load(base);
    const V = base.config.vocab_size;
    const E = base.config.embedding_size;
    try {
      await expect(model.resizeTokenEmbeddings(0)).rejects.toThrow(
        new InputError('resizeTokenEmbeddings: new size must be a positive integer, got 0'),
      );
      await expect(model.resizeTokenEmbeddings(V + 1, { padToMultipleOf: 2.5 })).rejects.toThrow(
        new InputError('resizeTokenEmbeddings: padToMultipleOf must be a positive integer, got 2.5'),
      );
      await expect(
        model.resizeTokenEmbeddings(V + 1, { pad_to_multiple_of: 8 } as unknown as { padToMultipleOf: number }),
      ).rejects.toThrow(/resizeTokenEmbeddings: unknown option pad_to_multiple_of — did you mean padToMultipleOf\?/);
      await expect(model.resizeTokenEmbeddings(Number.NaN)).rejects.toBeInstanceOf(InputError);
      expect(model.config.vocab_size).toBe(V); // a refused call changes nothing

      // normal(0, initializer_range) rows
      expect(await model.resizeTokenEmbeddings(V + 2000, { meanResizing: false })).toBe(V + 2000);
      const fresh = (await model.getInputEmbeddings()).data.subarray(V * E);
      const std = Math.sqrt(fresh.reduce((a, x) => a + x * x, 0) / fresh.length);
      expect(Math.abs(std / base.config.initializer_range - 1)).toBeLessThan(0.05);

      // shrinking keeps the first rows; logits follow
      const old = base.weights.f32('albert.embeddings.word_embeddings.weight').data;
      expect(await model.resizeTokenEmbeddings(100)).toBe(100);
      expect((await model.getInputEmbeddings()).data).toEqual(old.subarray(0, 100 * E));
      expect((await model.forward({ input_ids: [[2, 50, 3]] })).logits.shape).toEqual([1, 3, 100]);
      await expect(model.forward({ input_ids: [[2, 150, 3]] })).rejects.toBeInstanceOf(InputError);

      // set_input_embeddings: any row count, the tied decoder reads it: logits = decoder(h) · rows + bias
      const rows = new Float32Array(10 * E);
      for (let i = 0; i < rows.length; i++) rows[i] = Math.cos(i) * 0.1;
      await model.setInputEmbeddings(new Tensor('float32', rows, [10, E]));
      expect(model.config.vocab_size).toBe(10);
      expect((await model.getInputEmbeddings()).data).toEqual(rows);
      expect((await model.forward({ input_ids: [[2, 5, 3]] })).logits.shape).toEqual([1, 3, 10]);
      await expect(model.setInputEmbeddings(new Tensor('float32', new Float32Array(4), [2, 2]))).rejects.toThrow(
        new InputError(`input embeddings must be [vocab, embedding_size = ${E}], got [2, 2]`),
      );
    } finally {
      model.dispose();
    }
  }, 120_000);

  it('calls made before a resize answer with the old vocabulary, calls made after with the new one', async () => {
    const model: AlbertModelHandle<'AlbertForMaskedLM'> = await load(base);
    const V = base.config.vocab_size;
    const before = model.forward({ input_ids: IDS });
    const resized = model.resizeTokenEmbeddings(V + 8);
    const after = model.forward({ input_ids: IDS });
    expect((await before).logits.shape).toEqual([1, 6, V]);
    expect(await resized).toBe(V + 8);
    const a = await after;
    expect(a.logits.shape).toEqual([1, 6, V + 8]);
    // the old columns are unchanged by a resize (kept rows, kept bias)
    const b = (await before).logits.data;
    for (let s = 0; s < 6; s++)
      expect(
        maxDiff(a.logits.data.subarray(s * (V + 8), s * (V + 8) + V), b.subarray(s * V, (s + 1) * V)),
      ).toBeLessThan(1e-5);
    model.dispose();
    await expect(model.resizeTokenEmbeddings(V)).rejects.toThrow(/was disposed/);
  }, 120_000);
});

describe('model.resizeTokenEmbeddings after training', () => {
  it('starts from the trained parameters on both training backends (tfjs Trainer, onnx OnnxTrainer)', async () => {
    const head = 'AlbertForMaskedLM' as const;
    const V = base.config.vocab_size;
    const E = base.config.embedding_size;
    const batch = { input_ids: [IDS[0]!], labels: [[-100, 15, -100, 7999, 31, -100]] };
    const options = { learningRate: 1e-2, totalSteps: 1, seed: 1 };
    const tm = (await (
      await createTfjs({ runtime: 'cpu' })
    ).loadModel(head, base.config, base.weights)) as TfjsAlbertModel<'AlbertForMaskedLM'>;
    const om = await (await createOnnx({ flavour: 'standard' })).loadModel(head, base.config, base.weights);
    const tfjs = new Trainer(tm, options);
    const onnx = new OnnxTrainer(om as never, options);
    const runs = [
      { model: tm, t: tfjs, current: () => exportTensors(tm) },
      { model: om, t: onnx, current: () => onnx.exportTensors() },
    ];
    const before = base.weights.f32('albert.embeddings.word_embeddings.weight').data;
    for (const { model, t, current } of runs) {
      await t.trainStep(batch);
      const trained = current().get('albert.embeddings.word_embeddings.weight')!.data;
      expect(maxDiff(trained, before)).toBeGreaterThan(0); // the step moved the embeddings
      expect(await model.resizeTokenEmbeddings(V + 5)).toBe(V + 5);
      const emb = (await model.getInputEmbeddings()).data;
      expect(emb.subarray(0, V * E)).toEqual(trained);
      expect((await model.forward({ input_ids: IDS })).logits.shape).toEqual([1, 6, V + 5]);
      t.dispose();
    }
  }, 120_000);
});
