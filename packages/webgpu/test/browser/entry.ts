// Bundled for the page by browser.test.ts: loads a model folder over HTTP and runs one forward pass
// on the page's navigator.gpu.
import {
  AlbertConfig,
  type AlbertInputs,
  bindWeights,
  flattenOutput,
  type HeadName,
  parseSafetensors,
  Tensor,
  type TensorData,
} from '@albertjs/core';
import { createBackend } from '../../src/index.js';

export interface WireTensor {
  dtype: 'float32' | 'int64';
  shape: number[];
  data: number[];
}

export async function runCase(
  modelUrl: string,
  head: HeadName,
  inputs: Record<string, WireTensor>,
  options: { outputHiddenStates: boolean; outputAttentions: boolean; attnImplementation: 'eager' | 'sdpa' },
) {
  const config = AlbertConfig.fromJSON(await (await fetch(`${modelUrl}/config.json`)).text());
  const bytes = new Uint8Array(await (await fetch(`${modelUrl}/model.safetensors`)).arrayBuffer());
  const { weights } = bindWeights(head, config, parseSafetensors(bytes).tensors);
  const backend = await createBackend();
  const model = await backend.loadModel(head, config, weights, { attnImplementation: options.attnImplementation });
  const ins: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(inputs)) {
    const data: TensorData =
      t.dtype === 'int64' ? BigInt64Array.from(t.data, (v) => BigInt(v)) : Float32Array.from(t.data);
    ins[k] = new Tensor(t.dtype, data, t.shape);
  }
  const out = flattenOutput(await model.forward(ins as AlbertInputs, options));
  const result: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [k, t] of out) result[k] = { shape: [...t.shape], data: Array.from(t.data) };
  const describe = await backend.describe();
  model.dispose();
  backend.dispose();
  return { describe, result };
}
