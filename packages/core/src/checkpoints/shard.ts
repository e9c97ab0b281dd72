// Splitting a state dict into safetensors shards plus `model.safetensors.index.json`, named as
// huggingface_hub's split_torch_state_dict_into_shards names them (model-00001-of-00002.safetensors).
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/serialization/_base.py
import { InputError } from '../errors.js';
import { serializeSafetensors } from '../safetensors.js';
import type { Tensor } from '../tensor.js';
import type { ShardIndex } from './formats.js';

export interface ShardedSafetensors {
  index: ShardIndex;
  /** shard file name → bytes */
  shards: Map<string, Uint8Array>;
}

/**
 * Groups tensors (in name order) into shards of at most `maxShardBytes` of tensor data each; a tensor
 * larger than the limit gets a shard of its own.
 */
export function shardSafetensors(
  tensors: ReadonlyMap<string, Tensor>,
  maxShardBytes: number,
  metadata: Record<string, string> = { format: 'pt' },
): ShardedSafetensors {
  if (!Number.isFinite(maxShardBytes) || maxShardBytes <= 0)
    throw new InputError(`maxShardBytes = ${maxShardBytes}: must be a positive number`);
  const names = [...tensors.keys()].sort();
  const groups: string[][] = [];
  let cur: string[] = [];
  let curBytes = 0;
  let total = 0;
  for (const n of names) {
    const nb = tensors.get(n)!.data.byteLength;
    total += nb;
    if (cur.length && curBytes + nb > maxShardBytes) {
      groups.push(cur);
      cur = [];
      curBytes = 0;
    }
    cur.push(n);
    curBytes += nb;
  }
  if (cur.length) groups.push(cur);
  const pad = (i: number) => String(i).padStart(5, '0');
  const shards = new Map<string, Uint8Array>();
  const weight_map: Record<string, string> = {};
  groups.forEach((g, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(groups.length)}.safetensors`;
    shards.set(file, serializeSafetensors(new Map(g.map((n) => [n, tensors.get(n)!])), metadata));
    for (const n of g) weight_map[n] = file;
  });
  return { index: { metadata: { total_size: total }, weight_map }, shards };
}
