// Resumable training checkpoints, as transformers' Trainer writes checkpoint-<step>/: the model (model.safetensors +
// config.json), the optimizer state (optimizer.safetensors: torch AdamW's exp_avg / exp_avg_sq per parameter and the
// step) and the random state (rng_state.json: the dropout seed stream). Saved at an optimizer-step boundary, a
// resumed run continues bit for bit.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/trainer.py (_save_checkpoint, _load_rng_state)
import { OPTIMIZER_FILE, RNG_FILE, readOptimizerState, type Tensor, writeOptimizerState } from '@albertjs/core';
import { fromTfSync } from '../convert.js';
import { tf } from '../tf.js';
import { saveCheckpoint } from './checkpoint.js';
import type { Trainer } from './trainer.js';

export { OPTIMIZER_FILE, RNG_FILE };

/** Writes the model, optimizer and random state into `dir`; returns the paths. Node only. */
export async function saveTrainingState(trainer: Trainer, dir: string): Promise<string[]> {
  const moments = new Map<string, Tensor<Float32Array>>();
  for (const [k, v] of trainer.optimizer.stateTensors()) moments.set(k, fromTfSync(v));
  const state = {
    step: trainer.optimizer.step,
    moments,
    dropout: trainer.rng.state,
    pendingMicroBatches: trainer.pendingMicroBatches,
  };
  if (state.pendingMicroBatches) return writeOptimizerState(dir, state); // refuses, before the model is written
  return [...(await saveCheckpoint(trainer.model, dir)), ...(await writeOptimizerState(dir, state))];
}

/** Restores the optimizer and random state saveTrainingState wrote (the model weights are loaded as any model folder). */
export async function loadTrainingState(trainer: Trainer, dir: string): Promise<{ step: number }> {
  const { step, m, v, dropout } = await readOptimizerState(dir);
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
