// Comparison mode: transformers.js (@huggingface/transformers, AutoModel on onnxruntime-node) running a
// given ONNX file in this same process on the same batches, so every albertjs / transformers.js ratio
// is measured side by side. transformers.js wants a model folder (config.json + onnx/model.onnx):
// one is laid out in a temporary folder, with the ONNX file's sibling config.json when it has one,
// else the benchmarked config.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type AlbertConfig, type AlbertInputs, BackendError, InputError, type Tensor } from '@albertjs/core';

interface TjsTensorCtor {
  new (type: string, data: BigInt64Array, dims: number[]): unknown;
}
interface TjsModel {
  (inputs: Record<string, unknown>): Promise<Record<string, { dispose?(): void }>>;
  dispose(): Promise<unknown>;
}
interface TjsModule {
  AutoModel: { from_pretrained(id: string, options: Record<string, unknown>): Promise<TjsModel> };
  Tensor: TjsTensorCtor;
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
}

export interface TransformersJsModel {
  /** 'transformers.js 4.3.2 (onnxruntime-node)'. */
  readonly description: string;
  /** Path of the ONNX file and of the config.json used. */
  readonly onnx: string;
  readonly configSource: string;
  forward(inputs: AlbertInputs): Promise<void>;
  dispose(): Promise<void>;
}

const MODEL_ID = 'model';

export async function loadTransformersJs(
  onnxPath: string,
  config: AlbertConfig,
  version: string | undefined,
  /** onnxruntime intra-op threads (default: onnxruntime's). */
  threads?: number,
): Promise<TransformersJsModel> {
  const onnx = resolve(onnxPath);
  if (!existsSync(onnx)) throw new InputError(`--compare-onnx ${JSON.stringify(onnxPath)}: no such file`);
  if (!onnx.endsWith('.onnx'))
    throw new InputError(`--compare-onnx ${JSON.stringify(onnxPath)}: expected a .onnx file`);
  let tjs: TjsModule;
  try {
    const specifier = '@huggingface/transformers';
    tjs = (await import(specifier)) as TjsModule;
  } catch (e) {
    throw new BackendError(`--compare-onnx needs @huggingface/transformers installed: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const root = await mkdtemp(join(tmpdir(), 'albert-bench-tjs-'));
  const folder = join(root, MODEL_ID);
  await mkdir(join(folder, 'onnx'), { recursive: true });
  const sibling = join(dirname(onnx), 'config.json');
  let configSource: string;
  if (existsSync(sibling)) {
    await writeFile(join(folder, 'config.json'), await readFile(sibling));
    configSource = sibling;
  } else {
    await writeFile(join(folder, 'config.json'), config.toJSONString());
    configSource = 'the benchmarked config';
  }
  const target = join(folder, 'onnx', 'model.onnx');
  try {
    await symlink(onnx, target);
  } catch {
    await copyFile(onnx, target);
  }
  // External weights (`model.onnx_data`) must sit beside the graph under the name it records.
  const data = `${onnx}_data`;
  if (existsSync(data)) await symlink(data, join(folder, 'onnx', basename(data)));
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${root}/`;
  let model: TjsModel;
  try {
    model = await tjs.AutoModel.from_pretrained(MODEL_ID, {
      local_files_only: true,
      dtype: 'fp32',
      device: 'cpu',
      ...(threads !== undefined ? { session_options: { intraOpNumThreads: threads } } : {}),
    });
  } catch (e) {
    await rm(root, { recursive: true, force: true });
    throw new BackendError(`transformers.js could not load ${onnx}: ${(e as Error).message}`, { cause: e });
  }
  const toTjs = (t: Tensor): unknown => {
    const d = t.data instanceof BigInt64Array ? t.data : BigInt64Array.from(t.data as Int32Array, (x) => BigInt(x));
    return new tjs.Tensor('int64', d, [...t.shape]);
  };
  return {
    description: `transformers.js ${version ?? '(unknown version)'} (onnxruntime-node, fp32 session${threads !== undefined ? `, ${threads} intra-op thread${threads === 1 ? '' : 's'}` : ''})`,
    onnx,
    configSource,
    async forward(inputs: AlbertInputs): Promise<void> {
      const feed: Record<string, unknown> = {};
      for (const k of ['input_ids', 'attention_mask', 'token_type_ids'] as const) {
        const t = inputs[k];
        if (t === undefined) continue;
        if (!(t instanceof Object) || !('shape' in t))
          throw new InputError(`${k} must be a Tensor for the transformers.js comparison`);
        feed[k] = toTjs(t as Tensor);
      }
      const out = await model(feed);
      for (const v of Object.values(out)) v.dispose?.();
    },
    async dispose(): Promise<void> {
      await model.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
