// Writes a model as transformers' save_pretrained does: model.safetensors (checkpoint names, tied
// weights stored once, metadata {format: 'pt'}) + config.json (architectures = [head]).
import { AlbertConfig, nodeBuiltin, serializeSafetensors, type Tensor } from '@albertjs/core';
import { fromTfSync } from '../convert.js';
import type { TfjsAlbertModel } from '../handle.js';

export interface CheckpointFiles {
  'model.safetensors': Uint8Array;
  'config.json': string;
}

/** Current parameters by checkpoint name (one entry per shared / tied parameter). */
export function exportTensors(model: TfjsAlbertModel): Map<string, Tensor<Float32Array>> {
  const out = new Map<string, Tensor<Float32Array>>();
  for (const [name, v] of model.params.variables) out.set(name, fromTfSync(v));
  return out;
}

export function checkpointFiles(model: TfjsAlbertModel): CheckpointFiles {
  const config = AlbertConfig.fromJSON(model.config.toJSON());
  config.architectures = [model.head];
  config.dtype = 'float32';
  return { 'model.safetensors': serializeSafetensors(exportTensors(model)), 'config.json': config.toJSONString() };
}

/** Saves into `dir` (created if needed); returns the paths written. Node only. */
export async function saveCheckpoint(model: TfjsAlbertModel, dir: string): Promise<string[]> {
  const { mkdir, writeFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  await mkdir(dir, { recursive: true });
  const files = checkpointFiles(model);
  const paths: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    const p = join(dir, name);
    await writeFile(p, data);
    paths.push(p);
  }
  return paths;
}
