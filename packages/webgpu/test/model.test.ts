// The public API beyond the fixtures: errors, limits, weight sharing, pooling, head_mask rules.
import { AlbertConfig, BackendError, type HEAD_NAMES, headParams, numel, Tensor, WeightMap } from '@albertjs/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBackend, type WebGpuBackend, type WebGpuModel } from '../src/index.js';
import { rand } from './helpers.js';

const fields = {
  vocab_size: 53,
  embedding_size: 10,
  hidden_size: 24,
  num_hidden_layers: 4,
  num_hidden_groups: 2,
  inner_group_num: 2,
  num_attention_heads: 3,
  intermediate_size: 29,
  max_position_embeddings: 20,
  hidden_act: 'gelu',
  num_labels: 3,
} as const;
const config = new AlbertConfig(fields);

function randomWeights(head: (typeof HEAD_NAMES)[number], c = config): WeightMap {
  const m = new Map<string, Tensor<Float32Array>>();
  for (const [i, p] of headParams(head, c).entries()) {
    m.set(p.name, Tensor.f32(rand(numel(p.shape), 100 + i, 0.5), p.shape));
  }
  if (head === 'AlbertForMaskedLM' || head === 'AlbertForPreTraining') {
    m.set('predictions.decoder.weight', m.get('albert.embeddings.word_embeddings.weight')!);
    m.set('predictions.decoder.bias', m.get('predictions.bias')!);
  }
  return new WeightMap(m);
}

const ids = [
  [2, 5, 7, 9, 11, 3, 0],
  [2, 8, 8, 3, 0, 0, 0],
];
const mask = [
  [1, 1, 1, 1, 1, 1, 0],
  [1, 1, 1, 1, 0, 0, 0],
];

let backend: WebGpuBackend;
beforeAll(async () => {
  backend = await createBackend();
});
afterAll(() => backend?.dispose());

describe('createBackend', () => {
  it('names the other backends when no adapter is available', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const err = await createBackend({ gpu }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/no adapter.*@albertjs\/onnx.*@albertjs\/tfjs/);
  });

  it('a failing requestDevice is a BackendError naming the other backends', async () => {
    const adapter = {
      features: new Set<string>(),
      limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28 },
      info: { vendor: 'fake' },
      requestDevice: async () => {
        throw new Error('no memory for a device');
      },
    };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    await expect(createBackend({ gpu })).rejects.toThrow(
      /requestDevice\(\) failed: no memory for a device; use @albertjs\/onnx or @albertjs\/tfjs/,
    );
  });

  it('describes the adapter', async () => {
    expect(await backend.describe()).toMatch(/^WebGPU /);
  });
});

describe('loading', () => {
  it('uploads shared layers once and binds the tied decoder to the word embeddings', async () => {
    const model = await backend.loadModel('AlbertForMaskedLM', config, randomWeights('AlbertForMaskedLM'));
    // embeddings 5 + mapping_in 2 + groups × inner × (qkv 2 + dense 2 + LN 2 + ffn 4 + LN 2) + MLM 5 (decoder weight = word embeddings, bias = predictions.bias)
    const perLayer = 12;
    expect((model as unknown as { weightBuffers: number }).weightBuffers).toBe(
      5 + 2 + config.num_hidden_groups * config.inner_group_num * perLayer + 5,
    );
    model.dispose();
  });
});

describe('forward', () => {
  it('eager and sdpa agree; every pooled buffer is returned', async () => {
    const model = await backend.loadModel('AlbertModel', config, randomWeights('AlbertModel'));
    const live = backend.runtime.pool.liveCount;
    const a = await model.forward({ input_ids: ids, attention_mask: mask }, { attnImplementation: 'eager' });
    const b = await model.forward({ input_ids: ids, attention_mask: mask }, { attnImplementation: 'sdpa' });
    expect(backend.runtime.pool.liveCount).toBe(live);
    const d = a.last_hidden_state.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.last_hidden_state.data[i]!)), 0);
    expect(d).toBeLessThan(1e-5);
    expect(a.last_hidden_state.shape).toEqual([2, 7, 24]);
    expect(a.pooler_output?.shape).toEqual([2, 24]);
    model.dispose();
  });

  it('once the pool is warm, a repeated forward reuses every bind group and pipeline', async () => {
    const model = await backend.loadModel(
      'AlbertForSequenceClassification',
      config,
      randomWeights('AlbertForSequenceClassification'),
    );
    await model.forward({ input_ids: ids, attention_mask: mask }); // fills the pool
    const first = await model.forward({ input_ids: ids, attention_mask: mask });
    const groups = backend.runtime.bindGroups.size;
    const programs = backend.runtime.programs.size;
    const again = await model.forward({ input_ids: ids, attention_mask: mask });
    expect(backend.runtime.bindGroups.size).toBe(groups);
    expect(backend.runtime.programs.size).toBe(programs);
    expect(again.logits.data).toEqual(first.logits.data);
    model.dispose();
  });

  it('hidden_states has 1 + layers × inner_group_num entries; attentions one per inner layer', async () => {
    const model = await backend.loadModel('AlbertModel', config, randomWeights('AlbertModel'), {
      attnImplementation: 'eager',
    });
    const out = await model.forward({ input_ids: ids }, { outputHiddenStates: true, outputAttentions: true });
    expect(out.hidden_states).toHaveLength(1 + 4 * 2);
    expect(out.attentions).toHaveLength(4 * 2);
    expect(out.attentions![0]!.shape).toEqual([2, 3, 7, 7]);
    expect(out.hidden_states!.at(-1)!.data).toEqual(out.last_hidden_state.data);
    model.dispose();
  });

  it('head_mask: [heads] equals the same row repeated per layer; row l scales layer l in each inner layer', async () => {
    const model = await backend.loadModel('AlbertModel', config, randomWeights('AlbertModel'), {
      attnImplementation: 'eager',
    });
    const row = [1, 0, 0.5];
    const one = await model.forward({ input_ids: ids, head_mask: Tensor.f32(row, [3]) }, { outputAttentions: true });
    const rows = await model.forward(
      { input_ids: ids, head_mask: Tensor.f32([...row, ...row, ...row, ...row], [4, 3]) },
      { outputAttentions: true },
    );
    expect(rows.last_hidden_state.data).toEqual(one.last_hidden_state.data);
    // Layer 1 only zeroes head 0: both inner applications of layer 1 (entries 2, 3) have zero probabilities for head 0.
    const perLayer = await model.forward(
      { input_ids: ids, head_mask: Tensor.f32([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1], [4, 3]) },
      { outputAttentions: true },
    );
    const att = perLayer.attentions!;
    const head0Sum = (t: Tensor<Float32Array>) => t.data.subarray(0, 49).reduce((a, b) => a + b, 0);
    expect(head0Sum(att[2]!)).toBe(0);
    expect(head0Sum(att[3]!)).toBe(0);
    expect(head0Sum(att[0]!)).toBeCloseTo(7, 4);
    expect(head0Sum(att[4]!)).toBeCloseTo(7, 4);
    model.dispose();
  });
});

describe('limits', () => {
  it('splits MLM logits over maxStorageBufferBindingSize and refuses tensors that cannot be split', async () => {
    const c = new AlbertConfig({ ...fields, vocab_size: 200 });
    const w = randomWeights('AlbertForMaskedLM', c);
    const input_ids = [
      Array.from({ length: 20 }, (_, i) => (i * 7) % 200),
      Array.from({ length: 20 }, (_, i) => (i * 13 + 5) % 200),
    ];
    const ref = await backend.loadModel('AlbertForMaskedLM', c, w);
    const want = await ref.forward({ input_ids });
    ref.dispose();
    // Largest weight: fused qkv [72, 24] (6912 bytes); largest intermediate: qkv [40, 72] (11520 bytes);
    // logits [40, 200] are 32000 bytes: a 12000-byte binding limit splits them into 3 row chunks.
    const small = await createBackend({ maxStorageBufferBindingSize: 12000 });
    try {
      const model = await small.loadModel('AlbertForMaskedLM', c, w);
      const got = await model.forward({ input_ids });
      expect(got.logits.shape).toEqual([2, 20, 200]);
      expect(got.logits.data).toEqual(want.logits.data);
      // Four sequences: the qkv projection [80, 72] (23040 bytes) cannot be split and is refused, naming the limit.
      await expect(model.forward({ input_ids: [...input_ids, ...input_ids] })).rejects.toThrow(
        /query\|key\|value \[80, 72\] needs 23040 bytes, more than maxStorageBufferBindingSize = 12000 bytes/,
      );
      model.dispose();
    } finally {
      small.dispose();
    }
  });
});

describe('device loss', () => {
  it('a destroyed device gives a BackendError on the next call', async () => {
    const own = await createBackend();
    const model = await own.loadModel('AlbertModel', config, randomWeights('AlbertModel'));
    own.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(model.forward({ input_ids: ids })).rejects.toThrow(/WebGPU device was lost/);
    await expect(own.loadModel('AlbertModel', config, randomWeights('AlbertModel'))).rejects.toThrow(BackendError);
  });
});

describe('dtype float16', () => {
  // Stated tolerance of the f16 path: matmul weights rounded to f16 (relative 2^-11), f32 accumulation,
  // LayerNorm and softmax in f32: max |Δ| ≤ 1e-2 from the f32 path on this model's hidden states.
  const F16_TOL = 1e-2;
  it('runs f16 matmul weights when the adapter offers shader-f16, else warns and falls back to f32', async () => {
    const w = randomWeights('AlbertModel');
    const f32 = await backend.loadModel('AlbertModel', config, w);
    const want = await f32.forward({ input_ids: ids, attention_mask: mask });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const f16 = (await backend.loadModel('AlbertModel', config, w, { dtype: 'float16' })) as WebGpuModel<'AlbertModel'>;
    const got = await f16.forward({ input_ids: ids, attention_mask: mask });
    const d = got.last_hidden_state.data.reduce(
      (m, v, i) => Math.max(m, Math.abs(v - want.last_hidden_state.data[i]!)),
      0,
    );
    if (backend.runtime.gpu.features.shaderF16) {
      expect(f16.dtype).toBe('float16');
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(F16_TOL);
    } else {
      expect(f16.dtype).toBe('float32');
      expect(warn.mock.calls.flat().join(' ')).toMatch(/shader-f16/);
      expect(d).toBe(0);
    }
    warn.mockRestore();
    f32.dispose();
    f16.dispose();
  });
});
