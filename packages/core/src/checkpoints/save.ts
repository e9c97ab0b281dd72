// save_pretrained for ALBERT: config.json + model.safetensors (or shards + index) that transformers loads.
// Tied keys are not written and the header carries `__metadata__ {format: pt}`, as transformers writes them.
// https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_utils.py (save_pretrained)
import type { AlbertConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import type { HeadName } from '../heads/names.js';
import { nodeFsPromises, nodePath } from '../platform/node.js';
import { serializeSafetensors } from '../safetensors.js';
import type { Tensor } from '../tensor.js';
import { WeightMap } from '../weights.js';
import { shardSafetensors } from './shard.js';

export interface SaveOptions {
  /** Written into config.architectures when the config has none. */
  head?: HeadName;
  /** Split into `model-0000i-of-0000n.safetensors` shards of at most this many bytes (plus the index). */
  maxShardBytes?: number;
}

/** Keys transformers does not save because they alias another parameter. */
export function tiedKeysToDrop(config: AlbertConfig): string[] {
  return config.tie_word_embeddings
    ? ['predictions.decoder.weight', 'predictions.decoder.bias']
    : ['predictions.decoder.bias'];
}

function asMap(tensors: ReadonlyMap<string, Tensor> | WeightMap | Record<string, Tensor>): Map<string, Tensor> {
  if (tensors instanceof WeightMap)
    return new Map(tensors.keys().map((k) => [tensors.prefix ? `${tensors.prefix}.${k}` : k, tensors.get(k)]));
  if (tensors instanceof Map) return new Map(tensors);
  return new Map(Object.entries(tensors));
}

/** Writes `dir/config.json` and the weights; returns the files written. Node only. */
export async function savePretrained(
  dir: string,
  config: AlbertConfig,
  tensors: ReadonlyMap<string, Tensor> | WeightMap | Record<string, Tensor>,
  options: SaveOptions = {},
): Promise<string[]> {
  const { mkdir, writeFile, rename } = nodeFsPromises();
  const { join } = nodePath();
  const map = asMap(tensors);
  for (const k of tiedKeysToDrop(config)) map.delete(k);
  if (!map.size) throw new CheckpointError('savePretrained: no tensors to save');
  await mkdir(dir, { recursive: true });
  const json = config.toJSON();
  if (options.head && !json.architectures) json.architectures = [options.head];
  const files: [string, Uint8Array | string][] = [['config.json', `${JSON.stringify(json, null, 2)}\n`]];
  if (options.maxShardBytes !== undefined) {
    const { index, shards } = shardSafetensors(map, options.maxShardBytes);
    for (const [f, b] of shards) files.push([f, b]);
    files.push(['model.safetensors.index.json', `${JSON.stringify(index, null, 2)}\n`]);
  } else {
    files.push(['model.safetensors', serializeSafetensors(map, { format: 'pt' })]);
  }
  const written: string[] = [];
  for (const [f, data] of files) {
    const p = join(dir, f);
    await writeFile(`${p}.tmp`, data);
    await rename(`${p}.tmp`, p);
    written.push(p);
  }
  return written;
}
