// Reads a model folder (config.json + weights in any Hub format) into an AlbertConfig and raw tensors (Node).
import { AlbertConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import { nodeFsPromises, nodePath } from '../platform/node.js';
import type { Tensor } from '../tensor.js';
import { type CheckpointFormat, type FileReader, pickFormat, readWeights, WEIGHT_FILES } from './formats.js';

export interface RawCheckpoint {
  config: AlbertConfig;
  tensors: Map<string, Tensor>;
  /** The weight file(s) read, for reports. */
  files: string[];
  /** The weight format that was read. */
  format: CheckpointFormat;
}

export interface ReadCheckpointOptions {
  /** Read this format even when a preferred one is present. */
  format?: CheckpointFormat;
}

/** A FileReader over a local folder: undefined for a missing file, CheckpointError for other I/O errors. */
export async function dirReader(dir: string): Promise<FileReader> {
  const { readFile } = nodeFsPromises();
  const { join } = nodePath();
  return async (file) => {
    const p = join(dir, file);
    try {
      return new Uint8Array(await readFile(p));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CheckpointError(`cannot read ${p}: ${(e as Error).message}`, { cause: e });
    }
  };
}

/** Parses config.json bytes (a ConfigError names the file and the bad field). */
export function parseConfigBytes(bytes: Uint8Array, source: string): AlbertConfig {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new CheckpointError(`${source} is not UTF-8 text`, { cause: e });
  }
  return AlbertConfig.fromJSON(text, source);
}

/**
 * Loads `dir/config.json` and the weights: model.safetensors, model.safetensors.index.json (+ shards),
 * pytorch_model.bin (zip or legacy pickle), pytorch_model.bin.index.json or flax_model.msgpack, in that order of preference.
 */
export async function readCheckpointDir(dir: string, options: ReadCheckpointOptions = {}): Promise<RawCheckpoint> {
  const { readdir } = nodeFsPromises();
  const { join } = nodePath();
  const read = await dirReader(dir);
  const cfgBytes = await read('config.json');
  if (!cfgBytes) throw new CheckpointError(`cannot read ${join(dir, 'config.json')}: no such file`);
  const config = parseConfigBytes(cfgBytes, join(dir, 'config.json'));
  let names: Set<string>;
  try {
    names = new Set(await readdir(dir));
  } catch (e) {
    throw new CheckpointError(`cannot list ${dir}: ${(e as Error).message}`, { cause: e });
  }
  const format = pickFormat(names, options.format);
  if (!format) {
    const want = options.format
      ? WEIGHT_FILES.find((w) => w.format === options.format)!.file
      : WEIGHT_FILES.map((w) => w.file).join(', ');
    throw new CheckpointError(`${dir} has no weights file (looked for ${want})`);
  }
  const { tensors, files } = await readWeights(format, async (f) => read(f));
  return { config, tensors, files: files.map((f) => join(dir, f)), format };
}
