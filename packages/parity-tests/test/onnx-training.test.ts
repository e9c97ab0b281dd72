// Training on onnxruntime (@albertjs/onnx OnnxTrainer) against the tfjs Trainer on the same fixture
// models, batches and options without dropout: the loss of every step agrees (≤ 1e-4 relative) for 50
// optimizer steps, gradient accumulation and clipping included, and the saved HF folders hold the same weights.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlbertConfig,
  type AlbertInputs,
  type AlbertTrainer,
  bindWeights,
  type HeadName,
  readCheckpointDir,
} from '@albertjs/core';
import { createBackend as createOnnx, OnnxTrainer } from '@albertjs/onnx';
import { createBackend as createTfjs, mulberry32, type TfjsAlbertModel, Trainer } from '@albertjs/tfjs';
import { describe, expect, it } from 'vitest';
import { listCases } from '../src/index.js';

async function fixture(head: HeadName, noDropout = true) {
  const c = listCases().find((x) => x.config === 'tiny' && x.head === head && x.variant === 'eager')!;
  const { config, tensors } = await readCheckpointDir(c.modelPath);
  const json = config.toJSON();
  if (noDropout)
    Object.assign(json, { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, classifier_dropout_prob: 0 });
  const cfg = AlbertConfig.fromJSON(json);
  return { config: cfg, weights: bindWeights(head, cfg, tensors).weights };
}

/** Seeded batches of B × 12 ids (vocab 1000) with the head's labels. */
function batches(head: HeadName, n: number, B: number, seed: number): AlbertInputs[] {
  const r = mulberry32(seed);
  const S = 12;
  return Array.from({ length: n }, () => {
    const input_ids = Array.from({ length: B }, () => Array.from({ length: S }, () => 5 + Math.floor(r() * 990)));
    const labels =
      head === 'AlbertForMaskedLM'
        ? input_ids.map((row) => row.map((id) => (r() < 0.3 ? id : -100)))
        : input_ids.map((row) => row[1]! % 3); // learnable: the class of the first word
    return { input_ids, labels } as AlbertInputs;
  });
}

async function run(t: AlbertTrainer, data: AlbertInputs[]) {
  const log: { loss: number; gradNorm?: number; lr?: number }[] = [];
  for (const b of data) {
    const r = await t.trainStep(b);
    if (r.updated) log.push({ loss: r.loss, ...(r.gradNorm !== undefined ? { gradNorm: r.gradNorm } : {}), lr: r.lr! });
  }
  return log;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe('onnx training follows the tfjs Trainer step for step', () => {
  it('sequence classification: 50 steps, warmup + decay, clipping, weight decay; same saved weights', async () => {
    const head = 'AlbertForSequenceClassification';
    const { config, weights } = await fixture(head);
    const options = { learningRate: 5e-3, warmupSteps: 5, totalSteps: 50, seed: 3 };
    const data = batches(head, 50, 8, 1);
    const tm = (await (await createTfjs({ runtime: 'cpu' })).loadModel(head, config, weights)) as TfjsAlbertModel;
    const om = await (await createOnnx({ flavour: 'standard', intraOpNumThreads: 1 })).loadModel(head, config, weights);
    const tfjs = new Trainer(tm, options);
    const onnx = new OnnxTrainer(om as never, options);
    const want = await run(tfjs, data);
    const got = await run(onnx, data);
    expect(got.length).toBe(50);
    const worst = Math.max(...got.map((g, k) => rel(g.loss, want[k]!.loss)));
    console.log(
      `onnx vs tfjs training, 50 steps: loss ${want[0]!.loss.toFixed(4)} → ${want[49]!.loss.toFixed(4)}, worst relative |Δloss| ${worst.toExponential(2)}`,
    );
    for (const [k, g] of got.entries()) {
      expect(rel(g.loss, want[k]!.loss), `step ${k + 1}`).toBeLessThanOrEqual(1e-4);
      expect(g.lr).toBe(want[k]!.lr);
    }
    const dir = mkdtempSync(join(tmpdir(), 'albertjs-onnx-train-'));
    try {
      await tfjs.save(join(dir, 'tfjs'));
      await onnx.save(join(dir, 'onnx'));
      const a = await readCheckpointDir(join(dir, 'tfjs'));
      const b = await readCheckpointDir(join(dir, 'onnx'));
      expect([...b.tensors.keys()].sort()).toEqual([...a.tensors.keys()].sort());
      expect(b.config.toJSON()).toEqual(a.config.toJSON());
      let maxAbs = 0;
      for (const [k, t] of a.tensors) {
        const u = b.tensors.get(k)!.data as Float32Array;
        (t.data as Float32Array).forEach((v, j) => {
          maxAbs = Math.max(maxAbs, Math.abs(v - u[j]!));
        });
      }
      expect(maxAbs).toBeLessThan(1e-4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      tfjs.dispose();
      tm.dispose();
      om.dispose();
    }
  }, 120_000);

  it('masked LM: gradient accumulation over 2 micro-batches with clipping at 0.5', async () => {
    const head = 'AlbertForMaskedLM';
    const { config, weights } = await fixture(head);
    const options = { learningRate: 2e-3, totalSteps: 10, gradientAccumulationSteps: 2, maxGradNorm: 0.5 };
    const data = batches(head, 20, 4, 2);
    const tm = (await (await createTfjs({ runtime: 'cpu' })).loadModel(head, config, weights)) as TfjsAlbertModel;
    const om = await (await createOnnx({ flavour: 'standard', intraOpNumThreads: 1 })).loadModel(head, config, weights);
    const want = await run(new Trainer(tm, options), data);
    const got = await run(new OnnxTrainer(om as never, options), data);
    expect(got.length).toBe(10);
    for (const [k, g] of got.entries()) {
      expect(rel(g.loss, want[k]!.loss), `step ${k + 1}`).toBeLessThanOrEqual(1e-4);
      expect(g.gradNorm!).toBeGreaterThan(0.5); // the clip is active
      expect(rel(g.gradNorm!, want[k]!.gradNorm!), `grad norm, step ${k + 1}`).toBeLessThanOrEqual(1e-4);
    }
    tm.dispose();
    om.dispose();
  }, 120_000);
});
