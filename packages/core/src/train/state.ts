// The optimizer state of a resumable training checkpoint, as transformers' Trainer writes checkpoint-<step>/:
// optimizer.safetensors holds torch AdamW's exp_avg / exp_avg_sq per parameter (by checkpoint name) and
// the step (header metadata); rng_state.json the dropout seed stream. Every backend's Trainer reads and
// writes this one format, so a run resumes on either backend.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/trainer.py (_save_checkpoint, _load_rng_state)
import { InputError } from '../errors.js';
import { nodeBuiltin } from '../platform/node-builtin.js';
import { parseSafetensors, serializeSafetensors } from '../safetensors.js';
import type { Tensor } from '../tensor.js';

export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const RNG_FILE = 'rng_state.json';

/** optimizer.safetensors bytes: `exp_avg.<name>` / `exp_avg_sq.<name>` tensors, the step in the metadata. */
export function encodeOptimizerState(step: number, tensors: ReadonlyMap<string, Tensor>): Uint8Array {
  return serializeSafetensors(new Map(tensors), { step: String(step) });
}

/** The step and the moments by parameter name; `where` names the file in errors. */
export function decodeOptimizerState(
  bytes: Uint8Array,
  where: string,
): { step: number; m: Map<string, Tensor>; v: Map<string, Tensor> } {
  const { tensors, metadata } = parseSafetensors(bytes);
  const step = Number(metadata?.step);
  if (!Number.isInteger(step) || step < 0)
    throw new InputError(`${where}: metadata step ${JSON.stringify(metadata?.step)} is not a step count`);
  const m = new Map<string, Tensor>();
  const v = new Map<string, Tensor>();
  for (const [key, t] of tensors) {
    const dot = key.indexOf('.');
    const kind = key.slice(0, dot);
    const target = kind === 'exp_avg' ? m : kind === 'exp_avg_sq' ? v : undefined;
    if (!target)
      throw new InputError(`optimizer state key ${JSON.stringify(key)} is neither exp_avg.* nor exp_avg_sq.*`);
    target.set(key.slice(dot + 1), t);
  }
  return { step, m, v };
}

/** rng_state.json's dropout seed-stream state. */
export function decodeRngState(json: string, where: string): number {
  const rng = JSON.parse(json) as { dropout?: unknown };
  if (typeof rng.dropout !== 'number')
    throw new InputError(`${where}: dropout state ${JSON.stringify(rng.dropout)} is not a number`);
  return rng.dropout;
}

/**
 * Writes optimizer.safetensors and rng_state.json into `dir` (each through a .tmp file and a rename) and returns
 * their paths; refuses between optimizer steps, where accumulated gradients would be lost. Node only.
 */
export async function writeOptimizerState(
  dir: string,
  state: { step: number; moments: ReadonlyMap<string, Tensor>; dropout: number; pendingMicroBatches: number },
): Promise<string[]> {
  if (state.pendingMicroBatches)
    throw new InputError(
      `a resumable checkpoint is taken at an optimizer step; ${state.pendingMicroBatches} micro-batch(es) are accumulated`,
    );
  const { writeFile, rename } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const files: [string, Uint8Array | string][] = [
    [OPTIMIZER_FILE, encodeOptimizerState(state.step, state.moments)],
    [RNG_FILE, `${JSON.stringify({ dropout: state.dropout }, null, 2)}\n`],
  ];
  const paths: string[] = [];
  for (const [f, data] of files) {
    const p = join(dir, f);
    await writeFile(`${p}.tmp`, data);
    await rename(`${p}.tmp`, p);
    paths.push(p);
  }
  return paths;
}

/** Reads what writeOptimizerState wrote: the step, the moments by parameter name and the dropout stream state. */
export async function readOptimizerState(
  dir: string,
): Promise<{ step: number; m: Map<string, Tensor>; v: Map<string, Tensor>; dropout: number }> {
  const { readFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const bytes = new Uint8Array(await readFile(join(dir, OPTIMIZER_FILE))).slice();
  const state = decodeOptimizerState(bytes, join(dir, OPTIMIZER_FILE));
  const dropout = decodeRngState(await readFile(join(dir, RNG_FILE), 'utf8'), join(dir, RNG_FILE));
  return { ...state, dropout };
}
