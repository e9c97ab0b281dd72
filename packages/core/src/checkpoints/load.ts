// Reads a model folder (config.json + weights) into an AlbertConfig and raw tensors.
import { AlbertConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import { parseSafetensors } from '../safetensors.js';
import type { Tensor } from '../tensor.js';

export interface RawCheckpoint {
  config: AlbertConfig;
  tensors: Map<string, Tensor>;
  /** The weight file(s) read, for reports. */
  files: string[];
}

async function fs() {
  return import('node:fs/promises');
}

/** Loads `dir/config.json` and `dir/model.safetensors` (Node). */
export async function readCheckpointDir(dir: string): Promise<RawCheckpoint> {
  const { readFile } = await fs();
  const { join } = await import('node:path');
  const cfgPath = join(dir, 'config.json');
  let cfgText: string;
  try {
    cfgText = await readFile(cfgPath, 'utf8');
  } catch (e) {
    throw new CheckpointError(`cannot read ${cfgPath}: ${(e as Error).message}`, { cause: e });
  }
  const config = AlbertConfig.fromJSON(cfgText, cfgPath);
  const stPath = join(dir, 'model.safetensors');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(stPath));
  } catch (e) {
    throw new CheckpointError(`cannot read ${stPath}: ${(e as Error).message}`, { cause: e });
  }
  return { config, tensors: parseSafetensors(bytes, stPath).tensors, files: [stPath] };
}
