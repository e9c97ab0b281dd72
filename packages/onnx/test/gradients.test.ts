// gradients() on the onnx backend: what it refuses. Its values (shared layers summed over every use
// included) are checked against PyTorch in packages/parity-tests/test/onnx-parity.test.ts.
import { BackendError, InputError, randomWeightMap, Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/index.js';
import { tinyConfig } from './helpers.js';

const ids = (v: number[][]) => new Tensor('int64', BigInt64Array.from(v.flat(), BigInt), [v.length, v[0]!.length]);

describe('onnx gradients()', () => {
  it('gradientCheckpointing must be a boolean', async () => {
    await expect(createBackend({ gradientCheckpointing: 'yes' as never })).rejects.toThrow(
      /gradientCheckpointing must be true or false, got "yes"/,
    );
  });

  it('refuses calls without an objective, inputs_embeds, unknown cotangents and disposed models', async () => {
    const backend = await createBackend({ flavour: 'standard', intraOpNumThreads: 1 });
    const config = tinyConfig();
    const cls = await backend.loadModel(
      'AlbertForSequenceClassification',
      config,
      randomWeightMap('AlbertForSequenceClassification', config).weights,
    );
    const input_ids = ids([[2, 5, 7, 3]]);
    await expect(cls.gradients!({ input_ids })).rejects.toThrow(InputError);
    await expect(cls.gradients!({ input_ids })).rejects.toThrow(/need labels/);
    const base = await backend.loadModel('AlbertModel', config, randomWeightMap('AlbertModel', config).weights);
    await expect(base.gradients!({ input_ids })).rejects.toThrow(/AlbertModel: gradients need cotangents/);
    const cot = new Tensor('float32', new Float32Array(4 * 16), [1, 4, 16]);
    await expect(base.gradients!({ input_ids }, { hidden: cot })).rejects.toThrow(
      /cotangent hidden names no output of AlbertModel/,
    );
    const inputs_embeds = new Tensor('float32', new Float32Array(4 * 8), [1, 4, 8]);
    await expect(base.gradients!({ inputs_embeds }, { last_hidden_state: cot })).rejects.toThrow(/not inputs_embeds/);
    await expect(base.gradients!({ input_ids }, { pooler_output: cot })).rejects.toThrow(
      /cotangent pooler_output has shape \[1, 4, 16\], output is \[1, 16\]/,
    );
    const { grads } = await base.gradients!({ input_ids }, { last_hidden_state: cot });
    // a zero cotangent: every gradient is zero, one per parameter
    expect(grads.size).toBe(randomWeightMap('AlbertModel', config).raw.size);
    for (const g of grads.values()) expect(g.data.every((v) => v === 0)).toBe(true);
    cls.dispose();
    await expect(cls.gradients!({ input_ids, labels: ids([[1]]).data as never })).rejects.toThrow(BackendError);
    base.dispose();
  });
});
