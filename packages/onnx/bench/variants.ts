// The models bench.ts times: transformers.js 4.x running a torch-style export (the baseline) and our
// AlbertModel graphs for the albert-base-v2 config with seeded random weights.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AlbertConfig, type AlbertModelHandle, type Tensor } from '@albertjs/core';
import { createBackend, type Flavour, type WeightDType } from '../src/index.js';
import { randomWeights } from './random-model.js';

/** One forward pass on [batch, seq] ids; resolves to last_hidden_state. */
export type Runner = (ids: Tensor<BigInt64Array>) => Promise<Float32Array>;

export interface VariantOptions {
  /** The torch export transformers.js runs (its folder holds config.json). */
  tjsModel?: string;
  /** intraOpNumThreads of every session (default: onnxruntime's). */
  threads?: number;
}

export const VARIANTS = [
  { key: 'tjs', name: 'transformers.js fp32' },
  { key: 'standard-fp32', name: 'standard fp32', flavour: 'standard', dtype: 'float32' },
  { key: 'optimized-fp32', name: 'optimized fp32', flavour: 'optimized', dtype: 'float32' },
  { key: 'standard-int8', name: 'standard int8', flavour: 'standard', dtype: 'int8' },
  { key: 'optimized-int8', name: 'optimized int8', flavour: 'optimized', dtype: 'int8' },
] as const satisfies readonly { key: string; name: string; flavour?: Flavour; dtype?: WeightDType }[];

export type VariantKey = (typeof VARIANTS)[number]['key'];

export function variant(key: string): (typeof VARIANTS)[number] {
  const v = VARIANTS.find((x) => x.key === key);
  if (!v)
    throw new Error(
      `unknown bench variant ${JSON.stringify(key)}; expected one of ${VARIANTS.map((x) => x.key).join(', ')}`,
    );
  return v;
}

/** Loads variant `key` and returns its runner. */
export function makeRunner(key: VariantKey, o: VariantOptions): Promise<Runner> {
  const v = variant(key);
  if (v.key === 'tjs') {
    if (!o.tjsModel) throw new Error('the transformers.js variant needs --tjs-model');
    return transformersJs(o.tjsModel, o.threads);
  }
  return ours(v.flavour, v.dtype, o.threads);
}

async function transformersJs(modelPath: string, threads: number | undefined): Promise<Runner> {
  const tjs = await import('@huggingface/transformers');
  // transformers.js resolves <localModelPath>/<id>/{config.json, onnx/model.onnx}: link the export there.
  const root = mkdtempSync(join(tmpdir(), 'albert-bench-'));
  const dir = join(root, 'model');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  symlinkSync(resolve(dirname(modelPath), 'config.json'), join(dir, 'config.json'));
  symlinkSync(resolve(modelPath), join(dir, 'onnx', 'model.onnx'));
  tjs.env.localModelPath = root;
  tjs.env.allowRemoteModels = false;
  const model = await tjs.AutoModel.from_pretrained('model', {
    dtype: 'fp32',
    device: 'cpu',
    ...(threads ? { session_options: { intraOpNumThreads: threads } } : {}),
  });
  return async (ids) => {
    const dims = [...ids.shape];
    const out = await model({
      input_ids: new tjs.Tensor('int64', ids.data, dims),
      attention_mask: new tjs.Tensor('int64', new BigInt64Array(ids.size).fill(1n), dims),
      token_type_ids: new tjs.Tensor('int64', new BigInt64Array(ids.size), dims),
    });
    return out.last_hidden_state.data as Float32Array;
  };
}

async function ours(flavour: Flavour, dtype: WeightDType, threads: number | undefined): Promise<Runner> {
  const config = AlbertConfig.fromPreset('albert-base-v2');
  const backend = await createBackend({ flavour, ...(threads ? { intraOpNumThreads: threads } : {}) });
  const model: AlbertModelHandle<'AlbertModel'> = await backend.loadModel('AlbertModel', config, weightsOnce(config), {
    dtype,
    attnImplementation: 'sdpa',
  });
  return async (ids) => (await model.forward({ input_ids: ids })).last_hidden_state.data;
}

let cachedWeights: ReturnType<typeof randomWeights> | undefined;
function weightsOnce(config: AlbertConfig) {
  cachedWeights ??= randomWeights('AlbertModel', config, 0);
  return cachedWeights;
}
