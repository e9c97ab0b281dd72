// Each kernel against a straightforward float64 CPU reference on odd shapes: sizes that are not
// multiples of the tiles, seq 1, batch 1, head dims 8 and 64, attention over 512 positions.
import {
  ACTIVATION_REFERENCE,
  BackendError,
  f16ToF32,
  f32ToF16,
  HIDDEN_ACTS,
  InputError,
  Tensor,
} from '@albertjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GemmVariant } from '../src/kernels/gemm.js';
import {
  attentionContext,
  attentionScores,
  embedding,
  flashAttention,
  gemm,
  layerNorm,
  softmax,
} from '../src/kernels/index.js';
import { Runtime } from '../src/runtime/runtime.js';
import { WeightStore } from '../src/runtime/weights.js';
import { additive, maxAbsDiff, paddingMask, rand, referenceAttention, runKernel } from './helpers.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await Runtime.create();
});
afterAll(() => rt?.destroy());

function refGemm(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  M: number,
  N: number,
  K: number,
  act: (v: number) => number,
  lda = K,
): Float64Array {
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[m * lda + k]! * w[n * K + k]!;
      y[m * N + n] = act(s + b[n]!);
    }
  return y;
}

describe.each(['tiled', 'register'] as const)('gemm (Linear + bias + activation), %s program', (variant) => {
  let saved: GemmVariant;
  beforeAll(() => {
    saved = rt.gemmVariant;
    rt.gemmVariant = variant;
  });
  afterAll(() => {
    rt.gemmVariant = saved;
  });

  it.each([
    [1, 1, 1],
    [3, 37, 16],
    [65, 70, 33],
    [130, 5, 129],
  ])('M=%i N=%i K=%i matches the CPU product', async (M, N, K) => {
    const x = rand(M * K, 1);
    const w = rand(N * K, 2);
    const b = rand(N, 3);
    const got = await runKernel(
      rt,
      [
        { data: x, shape: [M, K] },
        { data: w, shape: [N, K] },
        { data: b, shape: [N] },
      ],
      (rec, [X, W, B]) => gemm(rec, { x: X!, w: W!, bias: B!, M }),
    );
    expect(
      maxAbsDiff(
        got,
        refGemm(x, w, b, M, N, K, (v) => v),
      ),
    ).toBeLessThan(2e-5 * Math.sqrt(K));
  });

  it('reads strided rows (the pooler reads [CLS] of every sequence)', async () => {
    const [B, S, H] = [3, 5, 12];
    const x = rand(B * S * H, 4);
    const w = rand(H * H, 5);
    const b = rand(H, 6);
    const got = await runKernel(
      rt,
      [
        { data: x, shape: [B * S, H] },
        { data: w, shape: [H, H] },
        { data: b, shape: [H] },
      ],
      (rec, [X, W, Bi]) => gemm(rec, { x: X!, w: W!, bias: Bi!, M: B, lda: S * H, act: 'tanh' }),
    );
    expect(maxAbsDiff(got, refGemm(x, w, b, B, H, H, Math.tanh, S * H))).toBeLessThan(1e-5);
  });

  it('every hidden_act matches core ACTIVATION_REFERENCE, including large |x|', async () => {
    const K = 61;
    const x = new Float32Array(K * K);
    const xs = Float32Array.from({ length: K }, (_, i) => (i - 30) * (i % 3 === 0 ? 0.9 : 0.13)); // ±27 and fine steps near 0
    for (let i = 0; i < K; i++) x[i * K] = xs[i]!; // column 0
    const w = new Float32Array(K * K);
    w[0] = 1; // y[:, 0] = act(x[:, 0] + bias[0])
    const b = new Float32Array(K);
    for (const act of HIDDEN_ACTS) {
      const got = await runKernel(
        rt,
        [
          { data: x, shape: [K, K] },
          { data: w, shape: [K, K] },
          { data: b, shape: [K] },
        ],
        (rec, [X, W, B]) => gemm(rec, { x: X!, w: W!, bias: B!, M: K, act }),
      );
      const ref = ACTIVATION_REFERENCE[act];
      let worst = 0;
      for (let i = 0; i < K; i++)
        worst = Math.max(worst, Math.abs(got[i * K]! - ref(xs[i]!)) / Math.max(1, Math.abs(ref(xs[i]!))));
      expect(worst, act).toBeLessThan(2e-6);
    }
  });

  it('f16 weights (shader-f16): within f16 rounding of the f32 product, or a clear error without the feature', async () => {
    const [M, N, K] = [9, 70, 33];
    const x = rand(M * K, 31);
    const w = rand(N * K, 32);
    const b = rand(N, 33);
    const wHalf = Float32Array.from(w, (v) => f16ToF32(f32ToF16(v)));
    const store = new WeightStore(rt, true);
    const run = () =>
      runKernel(
        rt,
        [
          { data: x, shape: [M, K] },
          { data: b, shape: [N] },
        ],
        (rec, [X, B]) => gemm(rec, { x: X!, w: store.matmul(Tensor.f32(w, [N, K]), 'w16'), bias: B!, M }),
      );
    if (rt.gpu.features.shaderF16) {
      expect(
        maxAbsDiff(
          await run(),
          refGemm(x, wHalf, b, M, N, K, (v) => v),
        ),
      ).toBeLessThan(2e-5 * Math.sqrt(K));
    } else {
      await expect(run()).rejects.toThrow(BackendError);
    }
    store.destroy();
  });

  it('rejects a bias that does not match the weight', async () => {
    await expect(
      runKernel(
        rt,
        [
          { data: rand(6, 1), shape: [2, 3] },
          { data: rand(12, 1), shape: [4, 3] },
          { data: rand(3, 1), shape: [3] },
        ],
        (rec, [X, W, B]) => gemm(rec, { x: X!, w: W!, bias: B!, M: 2 }),
      ),
    ).rejects.toThrow(InputError);
  });
});

function refLayerNorm(
  x: Float32Array,
  r: Float32Array | null,
  g: Float32Array,
  b: Float32Array,
  N: number,
  eps: number,
): Float64Array {
  const rows = x.length / N;
  const y = new Float64Array(x.length);
  for (let i = 0; i < rows; i++) {
    const v = Array.from({ length: N }, (_, j) => x[i * N + j]! + (r ? r[i * N + j]! : 0));
    const mean = v.reduce((p, q) => p + q, 0) / N;
    const vr = v.reduce((p, q) => p + (q - mean) ** 2, 0) / N;
    for (let j = 0; j < N; j++) y[i * N + j] = ((v[j]! - mean) / Math.sqrt(vr + eps)) * g[j]! + b[j]!;
  }
  return y;
}

describe('layer_norm (+ residual)', () => {
  it.each([
    [1, 1, true],
    [7, 37, true],
    [3, 300, false],
  ])('rows=%i N=%i residual=%s', async (rows, N, withRes) => {
    const x = rand(rows * N, 7, 3);
    const r = rand(rows * N, 8);
    const g = rand(N, 9);
    const b = rand(N, 10);
    const got = await runKernel(
      rt,
      [
        { data: x, shape: [rows, N] },
        { data: r, shape: [rows, N] },
        { data: g, shape: [N] },
        { data: b, shape: [N] },
      ],
      (rec, [X, R, G, B]) =>
        layerNorm(rec, { x: X!, ...(withRes ? { residual: R! } : {}), gamma: G!, beta: B!, eps: 1e-12 }),
    );
    // N = 1: variance 0, output = beta (eps 1e-12 keeps it finite as in torch).
    expect(maxAbsDiff(got, refLayerNorm(x, withRes ? r : null, g, b, N, 1e-12))).toBeLessThan(N === 1 ? 1 : 2e-5);
  });
});

describe('embedding (gather + sum + LayerNorm)', () => {
  it('ids and inputs_embeds, odd sizes', async () => {
    const [V, P, TV, E, T] = [11, 9, 3, 13, 7];
    const word = rand(V * E, 11);
    const pos = rand(P * E, 12);
    const tt = rand(TV * E, 13);
    const g = rand(E, 14);
    const bt = rand(E, 15);
    const ids = Int32Array.from([0, 10, 3, 3, 7, 1, 9]);
    const types = Int32Array.from([0, 1, 2, 0, 1, 1, 0]);
    const posIds = Int32Array.from([8, 0, 1, 2, 3, 4, 5]);
    const idx = new Int32Array([...ids, ...types, ...posIds]);
    const sum = new Float32Array(T * E);
    for (let t = 0; t < T; t++)
      for (let e = 0; e < E; e++)
        sum[t * E + e] = word[ids[t]! * E + e]! + tt[types[t]! * E + e]! + pos[posIds[t]! * E + e]!;
    const ref = refLayerNorm(sum, null, g, bt, E, 1e-12);
    const weights = [
      { data: word, shape: [V, E] },
      { data: tt, shape: [TV, E] },
      { data: pos, shape: [P, E] },
      { data: g, shape: [E] },
      { data: bt, shape: [E] },
    ];
    const got = await runKernel(rt, [{ data: idx, shape: [3, T] }, ...weights], (rec, [I, W, TT, PO, G, B]) =>
      embedding(rec, { indices: I!, word: W!, tokenType: TT!, position: PO!, gamma: G!, beta: B!, eps: 1e-12 }),
    );
    expect(maxAbsDiff(got, ref)).toBeLessThan(2e-5);
    const embeds = new Float32Array(T * E);
    for (let t = 0; t < T; t++) embeds.set(word.subarray(ids[t]! * E, ids[t]! * E + E), t * E);
    const got2 = await runKernel(
      rt,
      [{ data: idx, shape: [3, T] }, ...weights, { data: embeds, shape: [T, E] }],
      (rec, [I, W, TT, PO, G, B, X]) =>
        embedding(rec, {
          indices: I!,
          inputsEmbeds: X!,
          word: W!,
          tokenType: TT!,
          position: PO!,
          gamma: G!,
          beta: B!,
          eps: 1e-12,
        }),
    );
    expect(maxAbsDiff(got2, ref)).toBeLessThan(2e-5);
  });
});

describe('attention', () => {
  // [B, S, heads, D, padding per batch row]
  const shapes: [number, number, number, number, number[]][] = [
    [1, 1, 2, 8, [0]],
    [2, 37, 3, 8, [0, 11]],
    [3, 5, 1, 64, [2, 0, 4]],
    [1, 70, 2, 64, [33]],
  ];
  it.each(shapes)(
    'flash sdpa B=%i S=%i heads=%i D=%i matches softmax(QKᵀ/√D + mask)·V',
    async (B, S, heads, D, pad) => {
      const H = heads * D;
      const qkv = rand(B * S * 3 * H, 20 + S, 2);
      const mask = paddingMask(B, S, pad);
      const ref = referenceAttention(qkv, mask, B, S, heads, D);
      const got = await runKernel(
        rt,
        [
          { data: qkv, shape: [B * S, 3 * H] },
          { data: additive(mask), shape: [B, S] },
        ],
        (rec, [Q, M]) => flashAttention(rec, { qkv: Q!, mask: M!, batch: B, seq: S, heads }),
      );
      expect(maxAbsDiff(got, ref.ctx)).toBeLessThan(5e-6);
    },
  );

  it.each(shapes)(
    'eager scores → softmax → context B=%i S=%i heads=%i D=%i, with head_mask',
    async (B, S, heads, D, pad) => {
      const H = heads * D;
      const qkv = rand(B * S * 3 * H, 40 + S, 2);
      const mask = paddingMask(B, S, pad);
      const hm = Float32Array.from({ length: heads }, (_, i) => (i % 2 ? 0.5 : 1.25));
      const ref = referenceAttention(qkv, mask, B, S, heads, D, hm);
      const inputs = [
        { data: qkv, shape: [B * S, 3 * H] },
        { data: additive(mask), shape: [B, S] },
        { data: hm, shape: [1, heads] },
      ];
      const probs = await runKernel(rt, inputs, (rec, [Q, M, F]) => {
        const p = attentionScores(rec, { qkv: Q!, mask: M!, batch: B, seq: S, heads });
        return softmax(rec, { x: p, headMask: { factors: F!, offset: 0, heads, rowsPerHead: S } });
      });
      expect(maxAbsDiff(probs, ref.probs)).toBeLessThan(2e-6);
      const ctx = await runKernel(rt, inputs, (rec, [Q, M, F]) => {
        const p = attentionScores(rec, { qkv: Q!, mask: M!, batch: B, seq: S, heads });
        softmax(rec, { x: p, headMask: { factors: F!, offset: 0, heads, rowsPerHead: S } });
        return attentionContext(rec, { probs: p, qkv: Q!, batch: B, seq: S, heads });
      });
      expect(maxAbsDiff(ctx, ref.ctx)).toBeLessThan(5e-6);
    },
  );

  it('length 512: flash and eager agree with the reference (B=1, heads=1, D=64)', async () => {
    const [B, S, heads, D] = [1, 512, 1, 64];
    const qkv = rand(B * S * 3 * heads * D, 99, 1.5);
    const mask = paddingMask(B, S, [17]);
    const ref = referenceAttention(qkv, mask, B, S, heads, D);
    const inputs = [
      { data: qkv, shape: [B * S, 3 * heads * D] },
      { data: additive(mask), shape: [B, S] },
    ];
    const flash = await runKernel(rt, inputs, (rec, [Q, M]) =>
      flashAttention(rec, { qkv: Q!, mask: M!, batch: B, seq: S, heads }),
    );
    expect(maxAbsDiff(flash, ref.ctx)).toBeLessThan(5e-6);
    const eager = await runKernel(rt, inputs, (rec, [Q, M]) => {
      const p = softmax(rec, { x: attentionScores(rec, { qkv: Q!, mask: M!, batch: B, seq: S, heads }) });
      return attentionContext(rec, { probs: p, qkv: Q!, batch: B, seq: S, heads });
    });
    expect(maxAbsDiff(eager, ref.ctx)).toBeLessThan(5e-6);
  });

  it('flash refuses head dims above its largest bucket, naming the value', async () => {
    const [S, heads, D] = [2, 1, 300];
    await expect(
      runKernel(
        rt,
        [
          { data: rand(S * 3 * D, 1), shape: [S, 3 * D] },
          { data: new Float32Array(S), shape: [1, S] },
        ],
        (rec, [Q, M]) => flashAttention(rec, { qkv: Q!, mask: M!, batch: 1, seq: S, heads }),
      ),
    ).rejects.toThrow(/head_dim = 300/);
  });
});
