// Pretraining a tiny ALBERT from scratch (MLM + SOP) on a small synthetic text drops the MLM loss well
// below its start; the checkpoint is then read back through core as an AlbertForMaskedLM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertConfig, bindWeights, readCheckpointDir } from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MlmSopCollator, Trainer, initWeights, mulberry32 } from '../src/index.js';
import { cpuBackend } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'albertjs-pretrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const special = { pad: 0, cls: 2, sep: 3, mask: 4 };
const V = 64;

/** A "text" of documents whose sentences are runs of consecutive word ids (5..63): each token is predictable from its neighbours. */
function corpus(docs: number, seed: number): number[][][] {
  const r = mulberry32(seed);
  return Array.from({ length: docs }, () =>
    Array.from({ length: 6 }, () => {
      const start = 5 + Math.floor(r() * (V - 5));
      return Array.from({ length: 4 + Math.floor(r() * 5) }, (_, i) => 5 + ((start - 5 + i) % (V - 5)));
    }),
  );
}

describe('pretraining a tiny ALBERT (MLM + SOP)', () => {
  it('MLM loss falls well below its starting value', async () => {
    const backend = await cpuBackend();
    const config = new AlbertConfig({
      vocab_size: V,
      embedding_size: 16,
      hidden_size: 32,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      intermediate_size: 64,
      max_position_embeddings: 32,
      hidden_act: 'gelu_new',
    });
    const model = await backend.loadModel('AlbertForPreTraining', config, initWeights('AlbertForPreTraining', config, 1), { attnImplementation: 'sdpa' });
    const collator = new MlmSopCollator({ special, vocabSize: V, maxLength: 32, seed: 3 });
    const train = corpus(400, 11).flatMap((d) => collator.examplesFromDocument(d));
    const heldOut = MlmSopCollator.collate(corpus(40, 99).flatMap((d) => collator.examplesFromDocument(d)));
    const steps = 160;
    const B = 16;
    const trainer = new Trainer(model, { learningRate: 3e-3, warmupSteps: 10, totalSteps: steps, weightDecay: 0.01 });

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
    for (let s = 0; s < steps; s++) {
      const batch = Array.from({ length: B }, (_, i) => train[(s * B + i) % train.length]!);
      await trainer.trainStep(MlmSopCollator.collate(batch));
    }
    const end = await mlmLoss();
    console.log(`pretraining: held-out MLM loss ${start.toFixed(3)} → ${end.toFixed(3)} after ${steps} steps of ${B}`);
    expect(end).toBeLessThan(start * 0.5);
    trainer.dispose();
    model.dispose();
  });
});
