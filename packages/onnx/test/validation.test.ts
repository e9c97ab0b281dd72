// Bad .onnx files fail in our layer with CheckpointError / InputError naming the value (bad forward()
// inputs: the backend contract in packages/parity-tests/test/backend-contract.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, InputError } from '@albertjs/core';
import { exportOnnx, loadOnnxModel } from '@albertjs/onnx';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomWeights } from '../bench/random-model.js';
import { tinyConfig } from './helpers.js';

const config = tinyConfig();
const weights = randomWeights('AlbertForSequenceClassification', config, 3);

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
