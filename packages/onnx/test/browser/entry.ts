// Bundled for the page by browser.test.ts: loads a fixture model folder over HTTP and computes gradients()
// with the training graph on onnxruntime-web in the page (wasm, or the webgpu EP).
import {
  AlbertConfig,
  type AlbertInputs,
  bindWeights,
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

export async function gradients(
  modelUrl: string,
  head: HeadName,
  inputs: Record<string, WireTensor>,
  cotangents: Record<string, WireTensor>,
  executionProviders: string[],
) {
  const config = AlbertConfig.fromJSON(await (await fetch(`${modelUrl}/config.json`)).text());
  const bytes = new Uint8Array(await (await fetch(`${modelUrl}/model.safetensors`)).arrayBuffer());
  const { weights } = bindWeights(head, config, parseSafetensors(bytes).tensors);
  // 'basic': onnxruntime-web's full optimizer takes twice as long to open the training graph in wasm
  const backend = await createBackend({ executionProviders, flavour: 'standard', graphOptimizationLevel: 'basic' });
  const model = await backend.loadModel(head, config, weights, { attnImplementation: 'eager' });
  const wire = (o: Record<string, WireTensor>) => {
    const out: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(o)) {
      const data: TensorData =
        t.dtype === 'int64' ? BigInt64Array.from(t.data, (v) => BigInt(v)) : Float32Array.from(t.data);
      out[k] = new Tensor(t.dtype, data, t.shape);
    }
    return out;
  };
  const r = await model.gradients!(
    wire(inputs) as AlbertInputs,
    wire(cotangents) as Record<string, Tensor<Float32Array>>,
  );
  const grads: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [k, t] of r.grads) grads[k] = { shape: [...t.shape], data: Array.from(t.data) };
  const describe = await backend.describe();
  model.dispose();
  return { describe, loss: r.loss, grads };
}
