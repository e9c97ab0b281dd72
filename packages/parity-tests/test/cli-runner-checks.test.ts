// The parity runner's own pieces (used by `albert parity`): core-only checks, the matrix, seeded random
// models and the cross-backend check.
import { AlbertConfig, type Backend, f32ToF16, readCheckpointDir, Tensor } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { describe, expect, it } from 'vitest';
import {
  buildMatrix,
  checkCheckpointFormats,
  checkLoadReports,
  crossCheckBackends,
  DEFAULT_FIXTURES_DIR,
  listCases,
  matrixToHtml,
  matrixToMarkdown,
  randomInputs,
  randomWeights,
  roundingDiff,
} from '../src/index.js';

describe('core-only checks', () => {
  it('every checkpoint format of the shipped fixtures matches models/ (f32 bit for bit, f16/bf16 within rounding)', async () => {
    const r = await checkCheckpointFormats(DEFAULT_FIXTURES_DIR);
    expect(r.map((x) => x.id).sort()).toEqual(
      ['groups/AlbertForSequenceClassification', 'tiny/AlbertForMaskedLM'].flatMap((m) =>
        ['bf16', 'fp16', 'pytorch_model.bin', 'pytorch_model.legacy.bin'].map((f) => `format ${m} ${f}`),
      ),
    );
    for (const x of r) expect(x.pass, `${x.id}: ${x.error ?? x.detail}`).toBe(true);
    for (const x of r.filter((y) => y.id.endsWith('.bin'))) expect(x.maxAbs).toBe(0);
    for (const x of r.filter((y) => /f16$/.test(y.id))) expect(x.maxAbs).toBeGreaterThan(0);
  });

  it('roundingDiff: f16 rounding passes, one f16 step more fails', () => {
    const ref = Tensor.f32([0.1234567, -2.71, 1e-6], [3]);
    const h = new Uint16Array([...ref.data].map(f32ToF16));
    expect(roundingDiff(new Tensor('float16', h, [3]), ref).pass).toBe(true);
    const off = h.slice();
    off[1] = off[1]! + 1;
    expect(roundingDiff(new Tensor('float16', off, [3]), ref).pass).toBe(false);
    expect(roundingDiff(Tensor.f32([0.1234567, -2.71, 1.000001e-6], [3]), ref).pass).toBe(false);
  });

  it('every case model folder binds with an empty report; from-pretraining-ckpt reports exactly the head weights', async () => {
    const r = await checkLoadReports(listCases());
    for (const x of r) expect(x.pass, `${x.id}: ${x.error ?? x.detail}`).toBe(true);
    const fp = r.filter((x) => x.id.includes('AlbertForPreTraining as AlbertModel'));
    expect(fp).toHaveLength(2);
    const { tensors } = await readCheckpointDir(`${DEFAULT_FIXTURES_DIR}/models/tiny/AlbertForPreTraining`);
    const heads = [...tensors.keys()].filter((k) => !k.startsWith('albert.')).length;
    expect(fp[0]!.detail).toBe(`${heads} head weights reported unexpected, as expected`);
  });
});

describe('parity matrix', () => {
  const cases = [
    { id: 'a', config: 'tiny', head: 'AlbertModel', variant: 'eager' },
    { id: 'b', config: 'tiny', head: 'AlbertModel', variant: 'sdpa' },
    { id: 'c', config: 'groups', head: 'AlbertForMaskedLM', variant: 'eager' },
  ];
  const res = (id: string, backend: string, maxAbs: number, pass: boolean) => ({
    id,
    backend,
    diffs: [{ name: 'out.logits', maxAbs }],
    worst: { name: 'out.logits', maxAbs },
    pass,
  });
  it('puts the worst |Δ| of each case in its head × variant × backend cell', () => {
    const m = buildMatrix(
      cases,
      [res('a', 'onnx', 3e-7, true), res('b', 'onnx', 2e-3, false), res('a', 'tfjs', 1e-6, true)],
      {
        skipped: [{ backend: 'webgpu', reason: 'unavailable: no adapter' }],
      },
    );
    expect(m.rows).toEqual(['tiny / AlbertModel', 'groups / AlbertForMaskedLM']);
    expect(m.backends).toEqual(['onnx', 'tfjs']);
    expect(m.cells['tiny / AlbertModel']?.sdpa?.onnx).toEqual({ maxAbs: 2e-3, pass: false, cases: 1 });
    const md = matrixToMarkdown(m);
    expect(md).toContain('| tiny / AlbertModel | ✓ 3.0e-7 | ✗ 2.0e-3 |');
    expect(md).toContain('| groups / AlbertForMaskedLM | · | · |');
    expect(md).toContain('- **webgpu**: unavailable: no adapter');
    const withGrads = buildMatrix(cases, [
      {
        id: 'c',
        backend: 'tfjs',
        diffs: [
          { name: 'grad.pooler.weight', maxAbs: 3e-4 },
          { name: 'out.logits', maxAbs: 1e-6 },
        ],
        worst: { name: 'grad.pooler.weight', maxAbs: 3e-4 },
        pass: true,
      },
    ]);
    expect(matrixToMarkdown(withGrads)).toContain('| groups / AlbertForMaskedLM | ✓ 1.0e-6 (∇ 3.0e-4) | · |');
    const html = matrixToHtml(m);
    expect(html).toContain('<td class="fail" title="1 case(s)">2.0e-3</td>');
    expect(html).toContain('<th colspan="2">eager</th>');
  });
});

describe('seeded random models and the cross-backend check', () => {
  const config = new AlbertConfig({
    vocab_size: 99,
    embedding_size: 8,
    hidden_size: 16,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 20,
    max_position_embeddings: 32,
  });

  it('the same seed gives the same weights and inputs; another seed does not', () => {
    const a = randomWeights('AlbertModel', config, 7).raw.get('pooler.weight')!.data;
    const b = randomWeights('AlbertModel', config, 7).raw.get('pooler.weight')!.data;
    const c = randomWeights('AlbertModel', config, 8).raw.get('pooler.weight')!.data;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const x = randomInputs(config, 2, 12, 3);
    expect(x.input_ids.shape).toEqual([2, 12]);
    expect([...x.attention_mask.data].map(Number)).toEqual([
      ...Array(12).fill(1),
      ...Array(9).fill(1),
      ...Array(3).fill(0),
    ]);
  });

  /** A backend whose outputs are shifted by `delta`: what a subtly wrong backend looks like. */
  function shifted(inner: Backend, name: string, delta: number): Backend {
    return {
      name,
      describe: () => inner.describe(),
      async loadModel(head, cfg, weights, opts) {
        const m = await inner.loadModel(head, cfg, weights, opts);
        return {
          ...m,
          head: m.head,
          config: m.config,
          backend: name,
          async forward(inputs, o) {
            const out = (await m.forward(inputs, o)) as unknown as Record<string, Tensor<Float32Array>>;
            const lhs = out.last_hidden_state!;
            return {
              ...out,
              last_hidden_state: new Tensor(
                'float32',
                lhs.data.map((v) => v + delta),
                lhs.shape,
              ),
            } as never;
          },
          dispose: () => m.dispose(),
        };
      },
    };
  }

  it('passes for agreeing backends and names the pair and output that disagree', async () => {
    const onnx = await createBackend();
    const ok = await crossCheckBackends([onnx, shifted(onnx, 'onnx+0', 0)], config, { batch: 2, seq: 12 });
    expect(ok.pass, JSON.stringify(ok)).toBe(true);
    expect(ok.pairs).toEqual([{ a: 'onnx', b: 'onnx+0', worst: expect.any(String), maxAbs: 0, pass: true }]);
    const bad = await crossCheckBackends([onnx, shifted(onnx, 'onnx+1e-3', 1e-3)], config, { batch: 2, seq: 12 });
    expect(bad.pass).toBe(false);
    expect(bad.pairs[0]!.worst).toBe('last_hidden_state');
    expect(bad.pairs[0]!.maxAbs).toBeCloseTo(1e-3, 6);
    await onnx.dispose?.();
  });
});
