// Exported .onnx files: shared ALBERT layers stored once (file ≈ parameter bytes), the files reload
// through loadOnnxModel (head and config from their metadata) and reproduce the fixtures, and the
// fp16 / int8 variants' accuracy loss measured on every fixture case.
import { type AlbertInputs, bindWeights, readCheckpointDir, type Tensor, toFloat32 } from '@albertjs/core';
import { exportOnnx, FLAVOURS, loadOnnxModel, type WeightDType } from '@albertjs/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { compareAll, listCases, OUTPUT_TOLERANCE, pick } from '../src/index.js';

const cases = listCases();

async function load(c: (typeof cases)[number]) {
  const { config, tensors } = await readCheckpointDir(c.modelPath);
  return { config, weights: bindWeights(c.modelClass, config, tensors).weights };
}

function inputsOf(all: Map<string, Tensor>): AlbertInputs {
  return Object.fromEntries([...pick(all, 'in.')].filter(([k]) => !k.startsWith('cotangent.'))) as AlbertInputs;
}

describe('exported file size: shared layers stored once', () => {
  // Weights are stored once and the shared layer's graph once (a model-local function called per layer
  // application). What remains is a fixed ~5 KB of graph structure and metadata: 2% of the 0.5 MB
  // groups models, 5% of the 0.1 MB tiny ones, 0.01% of albert-base's 47 MB.
  const models = cases.filter((c) => c.variant === 'sdpa');
  it.each(models.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, weights } = await load(c);
    const bound = c.config === 'groups' ? 1.02 : 1.06;
    for (const flavour of FLAVOURS) {
      const r = await exportOnnx(c.modelClass, config, weights, { flavour });
      expect(
        r.model.byteLength / r.parameterBytes,
        `${flavour}: ${r.model.byteLength} vs ${r.parameterBytes}`,
      ).toBeLessThan(bound);
      expect(r.model.byteLength).toBeGreaterThan(r.parameterBytes);
      // fp16 halves the weights (LayerNorm parameters stay fp32; one Cast node per weight).
      const half = await exportOnnx(c.modelClass, config, weights, { flavour, dtype: 'float16' });
      expect(half.model.byteLength / r.model.byteLength).toBeLessThan(0.6);
    }
  });
  it('the groups model: 12 layer applications, 6 stored layers, within 2% of its parameter bytes', async () => {
    const c = cases.find((x) => x.config === 'groups' && x.modelClass === 'AlbertModel' && x.variant === 'sdpa')!;
    const { config, weights } = await load(c);
    expect(config.num_hidden_layers * config.inner_group_num).toBe(12);
    for (const flavour of FLAVOURS) {
      const r = await exportOnnx(c.modelClass, config, weights, { flavour });
      expect(r.model.byteLength / r.parameterBytes).toBeLessThan(1.02);
    }
  });
});

describe('exported files reproduce the fixtures', () => {
  const picked = cases.filter((c) => c.variant === 'sdpa' || c.variant === 'nomask' || c.variant === 'eager');
  it.each(picked.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, weights } = await load(c);
    const all = c.load();
    const eager = c.variant === 'eager';
    for (const flavour of FLAVOURS) {
      const r = await exportOnnx(c.modelClass, config, weights, {
        flavour,
        outputHiddenStates: eager,
        outputAttentions: eager,
      });
      const m = await loadOnnxModel(r.model, { intraOpNumThreads: 1 });
      expect(m.head).toBe(c.modelClass);
      const out = await m.forward(inputsOf(all));
      const expected = new Map([...pick(all, 'out.')].filter(([k]) => !k.includes('.')));
      const diffs = compareAll(new Map(Object.entries(out)), expected);
      expect(diffs.filter((d) => d.error)).toEqual([]);
      expect(diffs[0]!.maxAbs, `${flavour} ${diffs[0]!.name}`).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
      m.dispose();
    }
  });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k]! * b[k]!;
    aa += a[k]! * a[k]!;
    bb += b[k]! * b[k]!;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('reduced precision: accuracy loss on the fixtures', () => {
  const stats: Record<string, { maxAbs: number; minCos: number }> = {};
  afterAll(() => {
    for (const [k, s] of Object.entries(stats))
      console.log(`onnx ${k}: worst max|Δ| ${s.maxAbs.toExponential(2)}, worst cosine ${s.minCos.toFixed(5)}`);
  });
  const picked = cases.filter((c) => c.variant === 'sdpa');
  const variants: [WeightDType, (typeof FLAVOURS)[number]][] = [
    ['float16', 'standard'],
    ['int8', 'standard'],
    ['int8', 'optimized'],
  ];
  it.each(picked.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, weights } = await load(c);
    const all = c.load();
    const expected = [...pick(all, 'out.')].filter(([k]) => k !== 'loss');
    for (const [dtype, flavour] of variants) {
      const m = await loadOnnxModel((await exportOnnx(c.modelClass, config, weights, { flavour, dtype })).model, {
        intraOpNumThreads: 1,
      });
      const out = await m.forward(inputsOf(all));
      for (const [name, exp] of expected) {
        const got = out[name]!;
        const e = toFloat32(exp).data;
        let maxAbs = 0;
        for (let k = 0; k < e.length; k++) maxAbs = Math.max(maxAbs, Math.abs(got.data[k]! - e[k]!));
        const cos = cosine(got.data, e);
        const key = `${dtype} ${flavour}`;
        stats[key] ??= { maxAbs: 0, minCos: 1 };
        const s = stats[key];
        s.maxAbs = Math.max(s.maxAbs, maxAbs);
        s.minCos = Math.min(s.minCos, cos);
        // Stated bounds: fp16 weights ≤ 2e-3 absolute; int8 per-channel cosine ≥ 0.99.
        if (dtype === 'float16') expect(maxAbs, `${key} ${name}`).toBeLessThanOrEqual(2e-3);
        else expect(cos, `${key} ${name}`).toBeGreaterThanOrEqual(0.99);
      }
      m.dispose();
    }
  });
});
