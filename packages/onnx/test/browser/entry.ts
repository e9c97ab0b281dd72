// Bundled for the page by browser.test.ts: loads fixture model folders over HTTP and computes gradients()
// with the training graph on onnxruntime-web in the page: the wasm EP of the default build, or the
// webgpu EP of `onnxruntime-web/webgpu` (README "Training in the browser": the default build's webgpu EP,
// JSEP, can corrupt tensors of training graphs).
import {
  AlbertConfig,
  type AlbertInputs,
  bindWeights,
  type ForwardOptions,
  flattenOutput,
  type HeadName,
  parseSafetensors,
  Tensor,
  type TensorData,
} from '@albertjs/core';
import { createBackend, type OnnxModelHandle, OnnxTrainer, type OnnxTrainerOptions } from '../../src/index.js';

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

/** A few OnnxTrainer steps on the first case's model, after its gradients() (the same training session). */
export interface TrainSpec {
  batches: Record<string, WireTensor>[];
  options: OnnxTrainerOptions;
}

const load = async (backend: Awaited<ReturnType<typeof createBackend>>, modelUrl: string, head: HeadName) => {
  const config = AlbertConfig.fromJSON(await (await fetch(`${modelUrl}/config.json`)).text());
  const bytes = new Uint8Array(await (await fetch(`${modelUrl}/model.safetensors`)).arrayBuffer());
  const { weights } = bindWeights(head, config, parseSafetensors(bytes).tensors);
  return backend.loadModel(head, config, weights, { attnImplementation: 'eager' });
};

/** gradients() of every case, in order, then the training run's loss per step, on one backend. */
export async function gradientsAndTraining(cases: GradCase[], train: TrainSpec, ep: PageEP) {
  const backend =
    ep === 'webgpu'
      ? await webgpuBackend()
      : // 'basic': onnxruntime-web's full optimizer takes twice as long to open the training graph in wasm
        await createBackend({ executionProviders: ['wasm'], flavour: 'standard', graphOptimizationLevel: 'basic' });
  const results = [];
  let training: TrainingRun | undefined;
  for (const [k, c] of cases.entries()) {
    const model = await load(backend, c.modelUrl, c.head);
    const r = await model.gradients!(
      wire(c.inputs) as AlbertInputs,
      wire(c.cotangents) as Record<string, Tensor<Float32Array>>,
    );
    const grads: Record<string, { shape: number[]; data: number[] }> = {};
    for (const [name, t] of r.grads) grads[name] = { shape: [...t.shape], data: Array.from(t.data) };
    results.push({ loss: r.loss, grads });
    if (k === 0) training = await trainingRun(model as OnnxModelHandle<HeadName>, train);
    model.dispose();
  }
  return { describe: await backend.describe(), results, training: training! };
}

/** What an OnnxTrainer run reports: losses per micro-batch, gradient norms per update, the final parameters. */
export interface TrainingRun {
  losses: number[];
  gradNorms: number[];
  optimizerOn: 'host' | 'device';
  /** Whether every parameter was a GPU tensor after the last step (onnxruntime-web 'gpu-buffer'). */
  onDevice: boolean;
  /** exportTensors()' error before sync() ('' when it returned). */
  unsynced: string;
  /** On the device path: resizeTokenEmbeddings()' error before sync() ('' when it resolved). */
  resized: string;
  /** exportTensors() after sync(). */
  params: Record<string, { shape: number[]; data: number[] }>;
}

async function trainingRun(model: OnnxModelHandle<HeadName>, train: TrainSpec): Promise<TrainingRun> {
  const trainer = new OnnxTrainer(model, train.options);
  const losses: number[] = [];
  const gradNorms: number[] = [];
  for (const b of train.batches) {
    const r = await trainer.trainStep(wire(b) as AlbertInputs);
    losses.push(r.loss);
    if (r.updated) gradNorms.push(r.gradNorm ?? Number.NaN);
  }
  const onDevice = [...model.training.params.values()].every((t) => t.location === 'gpu-buffer');
  let unsynced = '';
  try {
    trainer.exportTensors();
  } catch (e) {
    unsynced = `${(e as Error).name}: ${(e as Error).message}`;
  }
  let resized = '';
  if (trainer.optimizerOn === 'device')
    await model.resizeTokenEmbeddings(model.config.vocab_size + 2).catch((e: Error) => {
      resized = `${e.name}: ${e.message}`;
    });
  await trainer.sync();
  const params: TrainingRun['params'] = {};
  for (const [name, t] of trainer.exportTensors()) params[name] = { shape: [...t.shape], data: Array.from(t.data) };
  trainer.dispose();
  return { losses, gradNorms, optimizerOn: trainer.optimizerOn, onDevice, unsynced, resized, params };
}

/** gradients() on the default build's webgpu EP (JSEP): the error it rejects with ('' when it does not). */
export async function jsepGradientsError(c: GradCase): Promise<string> {
  const backend = await createBackend({ executionProviders: ['webgpu'], flavour: 'standard' });
  const model = await load(backend, c.modelUrl, c.head);
  try {
    await model.gradients!(wire(c.inputs) as AlbertInputs, wire(c.cotangents) as Record<string, Tensor<Float32Array>>);
    return '';
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  } finally {
    model.dispose();
  }
}

/**
 * forward() of every case (its inputs and options) on the webgpu EP of onnxruntime-web's default build
 * (`'jsep'`) or of `onnxruntime-web/webgpu` (`'native'`): each case's output fields, flat, by name.
 */
export async function webgpuForward(cases: GradCase[], options: ForwardOptions[], build: 'jsep' | 'native') {
  const backend = build === 'native' ? await webgpuBackend() : await createBackend({ executionProviders: ['webgpu'] });
  const results: Record<string, { shape: number[]; data: number[] }>[] = [];
  for (const [k, c] of cases.entries()) {
    const model = await load(backend, c.modelUrl, c.head);
    const out = flattenOutput(await model.forward(wire(c.inputs) as AlbertInputs, options[k]));
    const fields: Record<string, { shape: number[]; data: number[] }> = {};
    for (const [name, t] of out) fields[name] = { shape: [...t.shape], data: Array.from(t.data) };
    results.push(fields);
    model.dispose();
  }
  return { describe: await backend.describe(), results };
}
