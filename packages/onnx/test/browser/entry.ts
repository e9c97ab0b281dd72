// Bundled for the page by browser.test.ts: loads fixture model folders over HTTP and computes gradients()
// with the training graph on onnxruntime-web in the page: the wasm EP of the default build, or the
// webgpu EP of `onnxruntime-web/webgpu` (README "Training in the browser": the default build's webgpu EP,
// JSEP, can corrupt tensors of training graphs).
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

export interface GradCase {
  modelUrl: string;
  head: HeadName;
  inputs: Record<string, WireTensor>;
  cotangents: Record<string, WireTensor>;
}

/** Which onnxruntime-web and execution provider: 'wasm' (default build) or 'webgpu' (onnxruntime-web/webgpu). */
export type PageEP = 'wasm' | 'webgpu';

const wire = (o: Record<string, WireTensor>) => {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(o)) {
    const data: TensorData =
      t.dtype === 'int64' ? BigInt64Array.from(t.data, (v) => BigInt(v)) : Float32Array.from(t.data);
    out[k] = new Tensor(t.dtype, data, t.shape);
  }
  return out;
};

/** README "Training in the browser". */
async function webgpuBackend() {
  const ort = await import('onnxruntime-web/webgpu');
  const backend = await createBackend({ ort, executionProviders: ['webgpu'], flavour: 'standard' });
  return backend;
}

/** gradients() of every case, in order, on one backend. */
export async function gradients(cases: GradCase[], ep: PageEP) {
  const backend =
    ep === 'webgpu'
      ? await webgpuBackend()
      : // 'basic': onnxruntime-web's full optimizer takes twice as long to open the training graph in wasm
        await createBackend({ executionProviders: ['wasm'], flavour: 'standard', graphOptimizationLevel: 'basic' });
  const results = [];
  for (const c of cases) {
    const config = AlbertConfig.fromJSON(await (await fetch(`${c.modelUrl}/config.json`)).text());
    const bytes = new Uint8Array(await (await fetch(`${c.modelUrl}/model.safetensors`)).arrayBuffer());
    const { weights } = bindWeights(c.head, config, parseSafetensors(bytes).tensors);
    const model = await backend.loadModel(c.head, config, weights, { attnImplementation: 'eager' });
    const r = await model.gradients!(
      wire(c.inputs) as AlbertInputs,
      wire(c.cotangents) as Record<string, Tensor<Float32Array>>,
    );
    const grads: Record<string, { shape: number[]; data: number[] }> = {};
    for (const [k, t] of r.grads) grads[k] = { shape: [...t.shape], data: Array.from(t.data) };
    model.dispose();
    results.push({ loss: r.loss, grads });
  }
  return { describe: await backend.describe(), results };
}

/** gradients() on the default build's webgpu EP (JSEP): the error it rejects with ('' when it does not). */
export async function jsepGradientsError(c: GradCase): Promise<string> {
  const backend = await createBackend({ executionProviders: ['webgpu'], flavour: 'standard' });
  const config = AlbertConfig.fromJSON(await (await fetch(`${c.modelUrl}/config.json`)).text());
  const bytes = new Uint8Array(await (await fetch(`${c.modelUrl}/model.safetensors`)).arrayBuffer());
  const { weights } = bindWeights(c.head, config, parseSafetensors(bytes).tensors);
  const model = await backend.loadModel(c.head, config, weights, { attnImplementation: 'eager' });
  try {
    await model.gradients!(wire(c.inputs) as AlbertInputs, wire(c.cotangents) as Record<string, Tensor<Float32Array>>);
    return '';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    model.dispose();
  }
}
