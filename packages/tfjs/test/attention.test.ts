import { Tensor } from '@albertjs/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SDPA_BLOCK, type TfjsAlbertModel } from '../src/index.js';
import { cpuBackend, ids, tinyConfig, tinyModel } from './helpers.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('eager and sdpa attention agree within 1e-5', () => {
  it.each([
    ['short (one block)', 2, 11],
    ['long (several query blocks)', 2, SDPA_BLOCK * 2 + 5],
  ])('%s', async (_n, B, S) => {
    const c = tinyConfig({ max_position_embeddings: 300 });
    const model = await tinyModel(await cpuBackend(), 'AlbertModel', c);
    const mask = ids(B, S, 1).map((r, b) => r.map((_, s) => (s < S - 3 * b ? 1 : 0)));
    const inputs = { input_ids: ids(B, S, c.vocab_size), attention_mask: mask };
    const e = await model.forward(inputs, { attnImplementation: 'eager' });
    const s = await model.forward(inputs, { attnImplementation: 'sdpa' });
    expect(maxDiff(e.last_hidden_state.data, s.last_hidden_state.data)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(e.pooler_output!.data, s.pooler_output!.data)).toBeLessThanOrEqual(1e-5);
    model.dispose();
  });
});

describe('head_mask (eager): probabilities × mask, [heads] or [layers, heads]', () => {
  let model: TfjsAlbertModel<'AlbertModel'>;
  const c = tinyConfig(); // 4 layers, 2 groups × 2 inner layers, 4 heads
  const B = 2;
  const S = 7;
  const x = { input_ids: ids(B, S, c.vocab_size), attention_mask: [Array(S).fill(1), [1, 1, 1, 1, 1, 0, 0]] };
  beforeAll(async () => {
    model = await tinyModel(await cpuBackend(), 'AlbertModel', c);
  });
  const head = (t: Tensor<Float32Array>, b: number, h: number) =>
    t.data.subarray((b * c.num_attention_heads + h) * S * S, (b * c.num_attention_heads + h + 1) * S * S);

  it('a [layers, heads] row scales only its layer (both inner layers) and changes the output', async () => {
    const plain = await model.forward(x, { outputAttentions: true });
    // Mask only the last layer (attention entries 6 and 7: layer 3, inner 0 and 1): what reaches it is unchanged.
    const m = new Float32Array(4 * 4).fill(1);
    m.set([1, 0, 0.5, 1], 12);
    const masked = await model.forward({ ...x, head_mask: Tensor.f32(m, [4, 4]) }, { outputAttentions: true });
    expect(plain.attentions).toHaveLength(c.num_hidden_layers * c.inner_group_num);
    for (let i = 0; i < 6; i++) expect(maxDiff(masked.attentions![i]!.data, plain.attentions![i]!.data)).toBe(0);
    const a6 = masked.attentions![6]!;
    const p6 = plain.attentions![6]!;
    for (let b = 0; b < B; b++) {
      expect(maxDiff(head(a6, b, 0), head(p6, b, 0))).toBe(0);
      expect(Math.max(...head(a6, b, 1).map(Math.abs))).toBe(0);
      expect(
        maxDiff(
          head(a6, b, 2),
          head(p6, b, 2).map((v) => v * 0.5),
        ),
      ).toBeLessThanOrEqual(1e-7);
    }
    // Its second inner layer sees a changed input, but head 1 is still zeroed there.
    for (let b = 0; b < B; b++) expect(Math.max(...head(masked.attentions![7]!, b, 1).map(Math.abs))).toBe(0);
    expect(maxDiff(masked.last_hidden_state.data, plain.last_hidden_state.data)).toBeGreaterThan(1e-3);
  });

  it('a [heads] mask applies to every layer, from the first', async () => {
    const plain = await model.forward(x, { outputAttentions: true });
    const masked = await model.forward(
      { ...x, head_mask: Tensor.f32([0.5, 1, 1, 0], [4]) },
      { outputAttentions: true },
    );
    for (let b = 0; b < B; b++) {
      expect(
        maxDiff(
          head(masked.attentions![0]!, b, 0),
          head(plain.attentions![0]!, b, 0).map((v) => v * 0.5),
        ),
      ).toBeLessThanOrEqual(1e-7);
      expect(maxDiff(head(masked.attentions![0]!, b, 1), head(plain.attentions![0]!, b, 1))).toBe(0);
      for (const a of masked.attentions!) expect(Math.max(...head(a, b, 3).map(Math.abs))).toBe(0);
    }
  });

  it('all-ones mask is the identity; sdpa ignores head_mask', async () => {
    const plain = await model.forward(x);
    const ones = await model.forward({ ...x, head_mask: Tensor.f32(new Float32Array(16).fill(1), [4, 4]) });
    expect(maxDiff(ones.last_hidden_state.data, plain.last_hidden_state.data)).toBe(0);
    const sdpa = await model.forward(
      { ...x, head_mask: Tensor.f32([0, 0, 0, 0], [4]) },
      { attnImplementation: 'sdpa' },
    );
    expect(maxDiff(sdpa.last_hidden_state.data, plain.last_hidden_state.data)).toBeLessThanOrEqual(1e-5);
  });
});
