// Per-layer recompute (gradient checkpointing) on the onnx backend: createBackend({ gradientCheckpointing:
// true }) runs gradients() and training steps as segments (embeddings, one layer application at a time,
// head). On every fixture case with grad.* files (every head, multiple choice, AlbertModel's cotangents, the
// `groups` config: 3 layer groups × 2 inner layers) its gradients are within 5e-4 of PyTorch's and within 1e-5 of
// the single training graph's; with head_mask and position_ids (no fixture has their gradients) within 1e-5 of the
// single graph's; with dropout, the same seed gives the same masks, so training steps follow the single graph's.
// The same segments run on onnxruntime-web's wasm.
import {
  AlbertConfig,
  type AlbertInputs,
  type Backend,
  bindWeights,
  type HeadName,
  readCheckpointDir,
  Tensor,
} from '@albertjs/core';
import { createBackend, type OnnxModelHandle, OnnxTrainer } from '@albertjs/onnx';
import { mulberry32 } from '@albertjs/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseCall, formatResult, GRAD_TOLERANCE, listCases, pick, runCase } from '../src/index.js';

const maxAbs = (a: Float32Array, b: Float32Array) => {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
};

describe('onnx gradient checkpointing: gradients equal the single graph and PyTorch', () => {
  let plain: Backend;
  let recompute: Backend;
  beforeAll(async () => {
    plain = await createBackend({ flavour: 'standard', intraOpNumThreads: 1 });
    recompute = await createBackend({ flavour: 'standard', intraOpNumThreads: 1, gradientCheckpointing: true });
    expect(await recompute.describe()).toContain('gradient checkpointing on');
  });

  it.each(
    listCases()
      .filter((c) => c.grads)
      .map((c) => [c.id, c] as const),
  )('%s', async (_id, c) => {
    const { config, tensors: raw } = await readCheckpointDir(c.modelPath);
    const { weights } = bindWeights(c.modelClass, config, raw);
    const tensors = c.load();
    const { inputs, cotangents } = caseCall(c, tensors);
    const expected = pick(tensors, 'grad.');
    const a = await plain.loadModel(c.modelClass, config, weights, { attnImplementation: 'eager' });
    const b = await recompute.loadModel(c.modelClass, config, weights, { attnImplementation: 'eager' });
    try {
      const single = await a.gradients!(inputs, cotangents);
      const segmented = await b.gradients!(inputs, cotangents);
      expect(Math.abs(segmented.loss - single.loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(single.loss)));
      expect([...segmented.grads.keys()].sort()).toEqual([...single.grads.keys()].sort());
      let worstSingle = 0;
      let worstTorch = 0;
      for (const [name, g] of segmented.grads) {
        worstSingle = Math.max(worstSingle, maxAbs(g.data, single.grads.get(name)!.data));
        const want = expected.get(name) as Tensor<Float32Array> | undefined;
        if (want) worstTorch = Math.max(worstTorch, maxAbs(g.data, want.data));
      }
      expect(expected.size).toBeGreaterThan(0);
      expect(worstSingle).toBeLessThanOrEqual(1e-5);
      expect(worstTorch).toBeLessThanOrEqual(GRAD_TOLERANCE);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

async function fixture(config: string, head: HeadName, overrides: Record<string, unknown> = {}) {
  const c = listCases().find((x) => x.config === config && x.head === head && x.variant === 'eager')!;
  const { config: cfg, tensors } = await readCheckpointDir(c.modelPath);
  const json = AlbertConfig.fromJSON({ ...cfg.toJSON(), ...overrides });
  return { config: json, weights: bindWeights(head, json, tensors).weights };
}

/** Seeded batches of B × S ids (vocab 1000) with a learnable class label. */
function batches(n: number, B: number, S: number, seed: number): AlbertInputs[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const input_ids = Array.from({ length: B }, () => Array.from({ length: S }, () => 5 + Math.floor(r() * 990)));
    return { input_ids, labels: input_ids.map((row) => row[1]! % 3) } as AlbertInputs;
  });
}

describe('onnx gradient checkpointing on onnxruntime-web (wasm)', () => {
  it.each(
    listCases()
      .filter((c) => c.grads && c.config === 'groups' && c.head === 'AlbertForPreTraining')
      .map((c) => [c.id, c] as const),
  )('%s: gradients within 5e-4 of PyTorch', async (_id, c) => {
    const backend = await createBackend({ runtime: 'web', flavour: 'standard', gradientCheckpointing: true });
    expect(await backend.describe()).toContain('onnxruntime-web wasm');
    const r = await runCase(backend, c, { outputTolerance: 1e-4 });
    const grads = r.diffs.filter((d) => d.name.startsWith('grad.'));
    expect(r.error, formatResult(r)).toBeUndefined();
    expect(grads.length).toBe(c.keys.filter((k) => k.startsWith('grad.')).length);
    expect(grads[0]!.maxAbs, formatResult(r)).toBeLessThanOrEqual(GRAD_TOLERANCE);
  });
});

describe('onnx gradient checkpointing: the options PyTorch fixtures lack grads for, against the single graph', () => {
  const head: HeadName = 'AlbertForSequenceClassification';

  it('head_mask and position_ids (3 layer groups × 2 inner layers)', async () => {
    const { config, weights } = await fixture('groups', head);
    const L = config.num_hidden_layers;
    const H = config.num_attention_heads;
    const [b] = batches(1, 2, 10, 4);
    const inputs = {
      ...b!,
      attention_mask: [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
      ],
      position_ids: [
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        [0, 2, 4, 6, 8, 10, 12, 14, 16, 18],
      ],
      head_mask: new Tensor(
        'float32',
        Float32Array.from({ length: L * H }, (_, k) => (k % 3) / 2),
        [L, H],
      ),
    } as AlbertInputs;
    const load = async (gradientCheckpointing: boolean) =>
      (await createBackend({ flavour: 'standard', intraOpNumThreads: 1, gradientCheckpointing })).loadModel(
        head,
        config,
        weights,
        { attnImplementation: 'eager' },
      );
    const a = await load(false);
    const r = await load(true);
    const single = await a.gradients!(inputs);
    const segmented = await r.gradients!(inputs);
    expect(segmented.loss).toBeCloseTo(single.loss, 6);
    let worst = 0;
    let largest = 0;
    for (const [name, g] of single.grads) {
      worst = Math.max(worst, maxAbs(segmented.grads.get(name)!.data, g.data));
      largest = Math.max(largest, maxAbs(g.data, new Float32Array(g.data.length)));
    }
    expect(largest).toBeGreaterThan(1e-3); // the comparison sees real gradients
    expect(worst).toBeLessThanOrEqual(1e-5);
    a.dispose();
    r.dispose();
  });

  it('training with dropout: the same seed draws the same masks, the steps follow the single graph', async () => {
    const dropout = { hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, classifier_dropout_prob: 0.2 };
    const { config, weights } = await fixture('groups', head, dropout);
    const data = batches(6, 4, 12, 9);
    const options = { learningRate: 5e-3, warmupSteps: 1, totalSteps: 3, gradientAccumulationSteps: 2, seed: 5 };
    const train = async (gradientCheckpointing: boolean) => {
      const backend = await createBackend({ flavour: 'standard', intraOpNumThreads: 1, gradientCheckpointing });
      const m = (await backend.loadModel(head, config, weights)) as OnnxModelHandle<typeof head>;
      const t = new OnnxTrainer(m, options);
      expect(t.dropout).toBe(true);
      const losses: number[] = [];
      for (const b of data) losses.push((await t.trainStep(b)).loss);
      const out = t.exportTensors();
      m.dispose();
      return { losses, out };
    };
    const single = await train(false);
    const segmented = await train(true);
    for (const [k, l] of single.losses.entries())
      expect(Math.abs(segmented.losses[k]! - l), `step ${k}`).toBeLessThanOrEqual(1e-5);
    let worst = 0;
    for (const [name, t] of single.out) worst = Math.max(worst, maxAbs(segmented.out.get(name)!.data, t.data));
    expect(worst).toBeLessThanOrEqual(1e-5);
    // another seed draws other masks: the comparison above is not blind to them
    const other = await (async () => {
      const backend = await createBackend({ flavour: 'standard', intraOpNumThreads: 1, gradientCheckpointing: true });
      const m = (await backend.loadModel(head, config, weights)) as OnnxModelHandle<typeof head>;
      const t = new OnnxTrainer(m, { ...options, seed: 6 });
      const l = (await t.trainStep(data[0]!)).loss;
      m.dispose();
      return l;
    })();
    expect(Math.abs(other - single.losses[0]!)).toBeGreaterThan(1e-4);
  });
});
