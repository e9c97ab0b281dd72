// Resumable training checkpoints, as transformers' Trainer writes checkpoint-<step>/: the model (model.safetensors +
// config.json), the optimizer state (optimizer.safetensors: torch AdamW's exp_avg / exp_avg_sq per parameter and the
// step) and the random state (rng_state.json: the dropout seed stream). Saved at an optimizer-step boundary, a
// resumed run continues bit for bit.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/trainer.py (_save_checkpoint, _load_rng_state)
import {
  decodeOptimizerState,
  decodeRngState,
  encodeOptimizerState,
  InputError,
  nodeBuiltin,
  OPTIMIZER_FILE,
  RNG_FILE,
  type Tensor,
} from '@albertjs/core';
import { fromTfSync } from '../convert.js';
import { tf } from '../tf.js';
import { saveCheckpoint } from './checkpoint.js';
import type { Trainer } from './trainer.js';

export { OPTIMIZER_FILE, RNG_FILE };

/** Writes the model, optimizer and random state into `dir`; returns the paths. Node only. */
export async function saveTrainingState(trainer: Trainer, dir: string): Promise<string[]> {
  if (trainer.pendingMicroBatches)
    throw new InputError(
      `a resumable checkpoint is taken at an optimizer step; ${trainer.pendingMicroBatches} micro-batch(es) are accumulated`,
    );
  const { writeFile, rename } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const paths = await saveCheckpoint(trainer.model, dir);
  const opt = new Map<string, Tensor<Float32Array>>();
  for (const [k, v] of trainer.optimizer.stateTensors()) opt.set(k, fromTfSync(v));
  const files: [string, Uint8Array | string][] = [
    [OPTIMIZER_FILE, encodeOptimizerState(trainer.optimizer.step, opt)],
    [RNG_FILE, `${JSON.stringify({ dropout: trainer.rng.state }, null, 2)}\n`],
  ];
  for (const [f, data] of files) {
    const p = join(dir, f);
    await writeFile(`${p}.tmp`, data);
    await rename(`${p}.tmp`, p);
    paths.push(p);
  }
  return paths;
}

/** Restores the optimizer and random state saveTrainingState wrote (the model weights are loaded as any model folder). */
export async function loadTrainingState(trainer: Trainer, dir: string): Promise<{ step: number }> {
  const { readFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const bytes = new Uint8Array(await readFile(join(dir, OPTIMIZER_FILE))).slice();
  const { step, m, v } = decodeOptimizerState(bytes, join(dir, OPTIMIZER_FILE));
  const dropout = decodeRngState(await readFile(join(dir, RNG_FILE), 'utf8'), join(dir, RNG_FILE));
  const tf32 = new Map<string, tf.Tensor>();
  for (const [kind, moments] of [
    ['exp_avg', m],
    ['exp_avg_sq', v],
  ] as const)
    for (const [k, t] of moments) tf32.set(`${kind}.${k}`, tf.tensor(t.data as Float32Array, [...t.shape], 'float32'));
  trainer.optimizer.loadState(step, tf32);
  tf.dispose([...tf32.values()]);
  trainer.rng.state = dropout;
  return { step };
}
