// The onnx Backend: options, precision variants, eager/sdpa switching, concurrency, exports with
// external data, and onnxruntime-web. (Parity with PyTorch is in packages/parity-tests/test/onnx-*.test.ts.)
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { randomIds, randomWeights } from '../bench/random-model.js';
import { createBackend, exportOnnx, loadOnnxModel } from '../src/index.js';
import { tinyConfig } from './helpers.js';

const config = tinyConfig();
const head = 'AlbertForTokenClassification';
const weights = randomWeights(head, config, 5);
const ids = randomIds(config, 3, 7, 9);

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('onnx backend', () => {
  it('describes itself and validates flavour and dtype', async () => {
    const b = await createBackend({ flavour: 'standard', intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
    expect(await b.describe()).toBe('onnxruntime-node cpu (standard graphs)');
    await expect(createBackend({ flavour: 'fast' as never })).rejects.toThrow(ConfigError);
    await expect(b.loadModel(head, config, weights, { dtype: 'bfloat16' } as never)).rejects.toThrow(
      /dtype = "bfloat16": @albertjs\/onnx supports "float32", "float16", "int8"/,
    );
  });

  it('standard and optimized graphs, every optimization level, agree', async () => {
    const outs: Float32Array[] = [];
    for (const flavour of ['standard', 'optimized'] as const) {
      for (const graphOptimizationLevel of ['disabled', 'all'] as const) {
        const b = await createBackend({ flavour, graphOptimizationLevel, intraOpNumThreads: 1 });
        const m = await b.loadModel(head, config, weights);
        outs.push((await m.forward({ input_ids: ids })).logits.data);
        m.dispose();
      }
    }
    for (const o of outs.slice(1)) expect(maxAbs(o, outs[0]!)).toBeLessThan(1e-5);
  });

  it('every attention kernel of the optimized flavour agrees with the standard graph, padding included', async () => {
    const mask = new BigInt64Array(ids.size).fill(1n);
    mask.fill(0n, 4, 7); // row 0: last 3 tokens are padding
    const inputs = { input_ids: ids, attention_mask: new Tensor('int64', mask, [...ids.shape]) };
    const ref = await loadOnnxModel((await exportOnnx(head, config, weights, { flavour: 'standard' })).model);
    const expected = (await ref.forward(inputs)).logits!.data;
    const kernels = [
      ...(['Attention', 'MultiHeadAttention', 'unfused'] as const).map((attentionOp) => ({ attentionOp })),
      { attentionOp: 'MultiHeadAttention' as const, packedQkv: true },
      { attentionOp: 'MultiHeadAttention' as const, skipLayerNorm: true },
    ];
    for (const kernel of kernels) {
      for (const dtype of ['float32', 'int8'] as const) {
        const m = await loadOnnxModel(
          (await exportOnnx(head, config, weights, { flavour: 'optimized', ...kernel, dtype })).model,
        );
        const got = (await m.forward(inputs)).logits!.data;
        expect(maxAbs(got, expected), `${JSON.stringify(kernel)} ${dtype}`).toBeLessThan(
          dtype === 'int8' ? 2e-2 : 1e-5,
        );
      }
    }
  });

  it('fp16 and int8 weights stay close to fp32', async () => {
    const b = await createBackend({ intraOpNumThreads: 1 });
    const ref = (await (await b.loadModel(head, config, weights)).forward({ input_ids: ids })).logits.data;
    const half = (await (await b.loadModel(head, config, weights, { dtype: 'float16' })).forward({ input_ids: ids }))
      .logits.data;
    const int8 = (await (await b.loadModel(head, config, weights, { dtype: 'int8' })).forward({ input_ids: ids }))
      .logits.data;
    expect(maxAbs(half, ref)).toBeLessThan(1e-3);
    expect(maxAbs(half, ref)).toBeGreaterThan(0); // the weights really were rounded
    expect(maxAbs(int8, ref)).toBeLessThan(2e-2);
    expect(maxAbs(int8, ref)).toBeGreaterThan(1e-6);
  });

  it('one session serves concurrent calls', async () => {
    const b = await createBackend({ intraOpNumThreads: 1 });
    const m = await b.loadModel(head, config, weights);
    const inputs = [1, 2, 3, 4, 5, 6].map((s) => randomIds(config, 2, 3 + s, s));
    const sequential = [];
    for (const x of inputs) sequential.push((await m.forward({ input_ids: x })).logits.data);
    const parallel = await Promise.all(inputs.map((x) => m.forward({ input_ids: x })));
    for (const [k, o] of parallel.entries()) expect(o.logits.data).toEqual(sequential[k]);
  });

  it('exports with external data and reloads by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albertjs-ext-'));
    const path = join(dir, 'model.onnx');
    const r = await exportOnnx(head, config, weights, { path, externalData: true, flavour: 'optimized' });
    expect(readdirSync(dir).sort()).toEqual(['model.onnx', 'model.onnx.data']);
    expect(r.files).toEqual([path, `${path}.data`]);
    expect(r.externalData!.byteLength).toBeGreaterThanOrEqual(r.parameterBytes * 0.9);
    const m = await loadOnnxModel(path);
    const b = await createBackend({ intraOpNumThreads: 1 });
    const ref = await (await b.loadModel(head, config, weights)).forward({ input_ids: ids });
    expect(maxAbs((await m.forward({ input_ids: ids })).logits!.data, ref.logits.data)).toBeLessThan(1e-5);
    await expect(loadOnnxModel(r.model)).rejects.toThrow(/external data files: load it by path/);
  });

  it('runs the standard graph on onnxruntime-web (wasm) in Node', async () => {
    const b = await createBackend({ runtime: 'web' });
    expect(await b.describe()).toBe('onnxruntime-web wasm (standard graphs)');
    const m = await b.loadModel(head, config, weights);
    const nodeRef = await (
      await (await createBackend({ flavour: 'standard' })).loadModel(head, config, weights)
    ).forward({ input_ids: ids });
    expect(maxAbs((await m.forward({ input_ids: ids })).logits.data, nodeRef.logits.data)).toBeLessThan(1e-5);
    // A bundler-provided module works the same.
    const injected = await createBackend({ runtime: 'web', ort: (await import('onnxruntime-web')) as never });
    const m2 = await injected.loadModel(head, config, weights);
    expect(maxAbs((await m2.forward({ input_ids: ids })).logits.data, nodeRef.logits.data)).toBeLessThan(1e-5);
  });
});
