// Which weight files a model folder / Hub repo may hold, in transformers' order of preference, and how
// to read each one given a file reader (local disk, Hub cache, or memory).
// https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_utils.py (_get_resolved_checkpoint_files)
import { CheckpointError } from '../errors.js';
import { parseSafetensors } from '../safetensors.js';
import type { Tensor } from '../tensor.js';
import { parseFlaxMsgpack } from './flax.js';
import { parseTorchCheckpoint } from './torch.js';

export type CheckpointFormat = 'safetensors' | 'safetensors-sharded' | 'pytorch' | 'pytorch-sharded' | 'flax';

/** Weight files in order of preference: safetensors > sharded safetensors > bin > sharded bin > msgpack. */
export const WEIGHT_FILES: readonly { format: CheckpointFormat; file: string }[] = [
  { format: 'safetensors', file: 'model.safetensors' },
  { format: 'safetensors-sharded', file: 'model.safetensors.index.json' },
  { format: 'pytorch', file: 'pytorch_model.bin' },
  { format: 'pytorch-sharded', file: 'pytorch_model.bin.index.json' },
  { format: 'flax', file: 'flax_model.msgpack' },
];

/** Reads one file of a checkpoint; resolves undefined when the file does not exist. */
export type FileReader = (file: string) => Promise<Uint8Array | undefined>;

/** Parses one weight file, choosing the format by its name. */
export function parseWeightFile(file: string, bytes: Uint8Array): Map<string, Tensor> {
  if (file.endsWith('.safetensors')) return parseSafetensors(bytes, file).tensors;
  if (/\.(bin|pt|pth)$/.test(file)) return parseTorchCheckpoint(bytes, file);
  if (file.endsWith('.msgpack')) return parseFlaxMsgpack(bytes, file);
  throw new CheckpointError(`${file}: unknown weight file type (expected .safetensors, .bin, .pt, .pth or .msgpack)`);
}

export interface ShardIndex {
  metadata: Record<string, unknown>;
  /** tensor name → shard file name */
  weight_map: Record<string, string>;
}

/** Parses and checks `*.index.json` (names must be plain file names in the same folder). */
export function parseShardIndex(text: string, source = 'model.safetensors.index.json'): ShardIndex {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const wm = (obj as { weight_map?: unknown } | null)?.weight_map;
  if (typeof wm !== 'object' || wm === null || Array.isArray(wm))
    throw new CheckpointError(`${source}: weight_map must be an object, got ${JSON.stringify(wm)}`);
  for (const [name, file] of Object.entries(wm)) {
    if (typeof file !== 'string' || !file || file.includes('..') || file.startsWith('/') || file.includes('\\')) {
      throw new CheckpointError(
        `${source}: weight_map[${JSON.stringify(name)}] = ${JSON.stringify(file)} is not a shard file name`,
      );
    }
  }
  const md = (obj as { metadata?: unknown }).metadata;
  return {
    metadata: typeof md === 'object' && md !== null ? (md as Record<string, unknown>) : {},
    weight_map: wm as Record<string, string>,
  };
}

/** Loads the weights of `format` through `read`; returns the tensors and the files read. */
export async function readWeights(
  format: CheckpointFormat,
  read: FileReader,
): Promise<{ tensors: Map<string, Tensor>; files: string[] }> {
  const entry = WEIGHT_FILES.find((w) => w.format === format)!;
  const bytes = await read(entry.file);
  if (!bytes) throw new CheckpointError(`${entry.file} not found`);
  if (format !== 'safetensors-sharded' && format !== 'pytorch-sharded')
    return { tensors: parseWeightFile(entry.file, bytes), files: [entry.file] };
  const index = parseShardIndex(new TextDecoder().decode(bytes), entry.file);
  const shards = [...new Set(Object.values(index.weight_map))].sort();
  const tensors = new Map<string, Tensor>();
  const foundIn = new Map<string, string>();
  for (const shard of shards) {
    const sb = await read(shard);
    if (!sb) throw new CheckpointError(`${entry.file} names shard ${shard}, which is missing`);
    for (const [k, t] of parseWeightFile(shard, sb)) {
      if (tensors.has(k)) throw new CheckpointError(`tensor ${k} appears in more than one shard (again in ${shard})`);
      tensors.set(k, t);
      foundIn.set(k, shard);
    }
  }
  for (const [name, shard] of Object.entries(index.weight_map)) {
    const at = foundIn.get(name);
    if (at !== shard)
      throw new CheckpointError(
        `${entry.file} maps ${name} to ${shard}, but that shard does not contain it${at ? ` (it is in ${at}: the index is wrong)` : ''}`,
      );
  }
  return { tensors, files: [entry.file, ...shards] };
}

/** The preferred format among `available` file names, or undefined. */
export function pickFormat(available: ReadonlySet<string>, prefer?: CheckpointFormat): CheckpointFormat | undefined {
  if (prefer) return available.has(WEIGHT_FILES.find((w) => w.format === prefer)!.file) ? prefer : undefined;
  return WEIGHT_FILES.find((w) => available.has(w.file))?.format;
}
