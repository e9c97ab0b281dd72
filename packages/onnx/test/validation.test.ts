// Bad inputs and bad .onnx files fail in our layer with InputError / CheckpointError naming the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlbertModelHandle, CheckpointError, InputError, Tensor } from '@albertjs/core';
import { createBackend, exportOnnx, loadOnnxModel } from '@albertjs/onnx';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomIds, randomWeights } from '../bench/random-model.js';
import { tinyConfig } from './helpers.js';

const config = tinyConfig();
const weights = randomWeights('AlbertForSequenceClassification', config, 3);

describe('input validation', () => {
  let model: AlbertModelHandle<'AlbertForSequenceClassification'>;
  beforeAll(async () => {
    const backend = await createBackend({ flavour: 'standard', intraOpNumThreads: 1 });
    model = await backend.loadModel('AlbertForSequenceClassification', config, weights);
  });
  const ids = randomIds(config, 2, 5);

  it('rejects float ids', async () => {
    await expect(
      model.forward({ input_ids: new Tensor('float32', new Float32Array(10), [2, 5]) as never }),
    ).rejects.toThrow(/input_ids must be int64 or int32, got dtype float32/);
  });
  it('rejects ids of the wrong rank', async () => {
    await expect(model.forward({ input_ids: new Tensor('int64', new BigInt64Array(10), [2, 5, 1]) })).rejects.toThrow(
      InputError,
    );
    await expect(model.forward({ input_ids: new Tensor('int64', new BigInt64Array(10), [2, 5, 1]) })).rejects.toThrow(
      /rank 2 .* got shape \[2, 5, 1\]/,
    );
  });
  it('rejects ids out of the vocabulary', async () => {
    await expect(model.forward({ input_ids: [[1, 2, 99]] })).rejects.toThrow(
      /input_ids\[2\] = 99 is out of range \[0, 99\)/,
    );
    await expect(model.forward({ input_ids: [[1, -4, 3]] })).rejects.toThrow(/input_ids\[1\] = -4/);
  });
  it('rejects sequences longer than max_position_embeddings', async () => {
    await expect(model.forward({ input_ids: [new Array(25).fill(3)] })).rejects.toThrow(
      /sequence length 25 exceeds max_position_embeddings 24/,
    );
  });
  it('rejects masks and token types of another shape, and bad token types', async () => {
    await expect(model.forward({ input_ids: ids, attention_mask: [[1, 1, 1]] })).rejects.toThrow(
      /attention_mask must have the shape of the ids \[2, 5\], got \[1, 3\]/,
    );
    await expect(model.forward({ input_ids: [[1, 2]], token_type_ids: [[0, 2]] })).rejects.toThrow(
      /token_type_ids\[1\] = 2 is out of range \[0, 2\)/,
    );
  });
  it('rejects head masks of the wrong shape', async () => {
    await expect(
      model.forward({ input_ids: ids, head_mask: Tensor.f32([1, 1, 1], [3]) }, { attnImplementation: 'eager' }),
    ).rejects.toThrow(/head_mask must have shape \[2\] or \[4, 2\]/);
  });
  it('rejects both or neither of input_ids and inputs_embeds', async () => {
    await expect(model.forward({})).rejects.toThrow(/input_ids \(or inputs_embeds\) is required/);
    await expect(
      model.forward({ input_ids: ids, inputs_embeds: Tensor.f32(new Float32Array(80), [2, 5, 8]) }),
    ).rejects.toThrow(/not both/);
  });
  it('rejects bad labels with the label named', async () => {
    await expect(model.forward({ input_ids: ids, labels: [7, 0] })).rejects.toThrow(
      /label 7 at position 0 is out of range \[0, 3\)/,
    );
  });
  it('runs valid input (the checks do not reject it)', async () => {
    const out = await model.forward({ input_ids: ids, labels: [2, 0] });
    expect(out.logits.shape).toEqual([2, 3]);
    expect(Number.isFinite(out.loss!.data[0]!)).toBe(true);
  });
});

describe('corrupt and truncated .onnx files', () => {
  let good: Uint8Array;
  const dir = mkdtempSync(join(tmpdir(), 'albertjs-onnx-'));
  beforeAll(async () => {
    good = (await exportOnnx('AlbertForSequenceClassification', config, weights)).model;
  });
  it('loads the intact export', async () => {
    const m = await loadOnnxModel(good);
    expect(m.head).toBe('AlbertForSequenceClassification');
    m.dispose();
  });
  it('truncated bytes: CheckpointError, not an onnxruntime error', async () => {
    const p = join(dir, 'truncated.onnx');
    writeFileSync(p, good.subarray(0, Math.floor(good.length * 0.6)));
    const e = await loadOnnxModel(p).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckpointError);
    expect(String((e as Error).message)).toMatch(/truncated\.onnx is not a valid ONNX model \(corrupt or truncated/);
  });
  it('garbage bytes: CheckpointError', async () => {
    const junk = new TextEncoder().encode('this is not an onnx model at all, just some text');
    await expect(loadOnnxModel(junk)).rejects.toThrow(CheckpointError);
  });
  it('missing file: CheckpointError naming the path', async () => {
    await expect(loadOnnxModel(join(dir, 'nope.onnx'))).rejects.toThrow(/cannot read .*nope\.onnx/);
  });
  it('third-party file without a head: InputError asking for it', async () => {
    const e = await loadOnnxModel(good, { head: 'NotAHead' as never }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
  });
});
