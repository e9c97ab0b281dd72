// Pretraining a tiny ALBERT from scratch (MLM + SOP) on a small synthetic text drops the MLM loss well
// below its start; the checkpoint is then read back through core as an AlbertForMaskedLM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertConfig, bindWeights, readCheckpointDir } from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend, initWeights, MlmSopCollator, mulberry32, Trainer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'albertjs-pretrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const special = { pad: 0, cls: 2, sep: 3, mask: 4 };
const V = 64;

/**
 * A small "text" with topics, as real documents have: 7 topics of 8 words (ids 8..63); each document
 * stays on one topic and its sentences draw that topic's words with Zipf-like frequencies. Unigram
 * statistics alone cannot go below ≈ ln 40; reading the context (which topic?) gets near ln 8.
 */
function corpus(docs: number, seed: number): number[][][] {
  const r = mulberry32(seed);
  const word = (topic: number) => 8 + topic * 8 + Math.floor(8 * r() ** 1.5);
  return Array.from({ length: docs }, () => {
    const topic = Math.floor(r() * 7);
    return Array.from({ length: 6 }, () => Array.from({ length: 5 + Math.floor(r() * 4) }, () => word(topic)));
  });
}

describe('pretraining a tiny ALBERT (MLM + SOP)', () => {
  it('MLM loss falls well below its starting value', async () => {
    const backend = await createBackend({ runtime: 'wasm' });
    const config = new AlbertConfig({
      vocab_size: V,
      embedding_size: 32,
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      intermediate_size: 128,
      max_position_embeddings: 24,
      hidden_act: 'gelu_new',
    });
    const model = await backend.loadModel(
      'AlbertForPreTraining',
      config,
      initWeights('AlbertForPreTraining', config, 1),
      { attnImplementation: 'sdpa' },
    );
    const collator = new MlmSopCollator({ special, vocabSize: V, maxLength: 24, seed: 3 });
    const train = corpus(400, 11).flatMap((d) => collator.examplesFromDocument(d));
    const heldOut = MlmSopCollator.collate(corpus(40, 99).flatMap((d) => collator.examplesFromDocument(d)));
    const steps = 150;
    const B = 32;
    const trainer = new Trainer(model, { learningRate: 2e-3, warmupSteps: 10, totalSteps: steps, weightDecay: 0.01 });

    const mlmLoss = async (): Promise<number> => {
      await trainer.save(dir);
      const { config: c, tensors } = await readCheckpointDir(dir);
      const mlm = await backend.loadModel('AlbertForMaskedLM', c, bindWeights('AlbertForMaskedLM', c, tensors).weights);
      const { sentence_order_label: _sop, ...inputs } = heldOut;
      const loss = (await mlm.forward(inputs)).loss!.data[0]!;
      mlm.dispose();
      return loss;
    };

    const start = await mlmLoss();
    expect(start).toBeGreaterThan(Math.log(V) * 0.8);
    const logged: number[] = [];
    function* batches() {
      for (let s = 0; ; s++)
        yield MlmSopCollator.collate(Array.from({ length: B }, (_, i) => train[(s * B + i) % train.length]!));
    }
    const fit = await trainer.fit(batches(), { onLog: (e) => logged.push(e.loss) });
    expect(fit.steps).toBe(steps);
    expect(logged).toHaveLength(steps);
    const end = await mlmLoss();
    // The best context-free predictor: the training text's word frequencies, scored on the held-out targets.
    const freq = new Map<number, number>();
    let total = 0;
    for (const e of train)
      for (const l of e.labels)
        if (l >= 0) {
          freq.set(l, (freq.get(l) ?? 0) + 1);
          total++;
        }
    const targets = [...(heldOut.labels as { data: BigInt64Array }).data].map(Number).filter((l) => l >= 0);
    const unigram = -targets.reduce((a, t) => a + Math.log((freq.get(t) ?? 0.5) / total), 0) / targets.length;
    console.log(
      `pretraining: held-out MLM loss ${start.toFixed(3)} → ${end.toFixed(3)} after ${steps} steps of ${B} (unigram baseline ${unigram.toFixed(3)})`,
    );
    expect(end).toBeLessThan(start * 0.75);
    expect(end).toBeLessThan(unigram - 0.5); // it reads the context, not only word frequencies
    trainer.dispose();
    model.dispose();
  }, 300_000); // ≈ 20 s of CPU; the margin is for a machine shared with other jobs
});
