// Exported graphs load in transformers.js (@huggingface/transformers 4.x) from a Hub-style folder
// (config.json + onnx/model.onnx) and give the outputs our backend gives (itself checked against PyTorch).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '@albertjs/core';
import { AutoModel, AutoModelForSequenceClassification, env, Tensor as TjsTensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { randomIds, randomWeights } from '../bench/random-model.js';
import { createBackend, exportOnnx } from '../src/index.js';
import { tinyConfig } from './helpers.js';

const config = tinyConfig();
const root = mkdtempSync(join(tmpdir(), 'albertjs-tjs-'));
env.localModelPath = root;
env.allowRemoteModels = false;

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe.each([['standard'], ['optimized']] as const)('transformers.js runs our %s export', (flavour) => {
  it.each([
    ['AlbertModel', 'last_hidden_state'],
    ['AlbertForSequenceClassification', 'logits'],
  ] as const)('%s', async (head, field) => {
    const weights = randomWeights(head, config, 11);
    const id = `${flavour}-${head}`;
    mkdirSync(join(root, id, 'onnx'), { recursive: true });
    writeFileSync(join(root, id, 'config.json'), config.toJSONString());
    await exportOnnx(head, config, weights, { flavour, path: join(root, id, 'onnx', 'model.onnx') });
    const Auto = head === 'AlbertModel' ? AutoModel : AutoModelForSequenceClassification;
    const model = await Auto.from_pretrained(id, { dtype: 'fp32', device: 'cpu' });
    const ids = randomIds(config, 2, 6, 4);
    const mask = new BigInt64Array(12).fill(1n);
    mask[11] = 0n;
    const out = await model({
      input_ids: new TjsTensor('int64', ids.data, [2, 6]),
      attention_mask: new TjsTensor('int64', mask, [2, 6]),
      token_type_ids: new TjsTensor('int64', new BigInt64Array(12), [2, 6]),
    });
    const backend = await createBackend({ flavour });
    const ours = await (await backend.loadModel(head, config, weights)).forward({
      input_ids: ids,
      attention_mask: new Tensor('int64', mask, [2, 6]),
    });
    const expected = (ours as unknown as Record<string, { data: Float32Array }>)[field]!.data;
    const got = out[field].data as Float32Array;
    expect(got.length).toBe(expected.length);
    expect(maxAbs(got, expected)).toBeLessThan(1e-5);
    await model.dispose();
  });
});
