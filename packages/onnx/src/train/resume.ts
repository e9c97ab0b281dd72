// Resumable checkpoints of OnnxTrainer in the format every albertjs Trainer shares (core's train/state.ts):
// the model folder, optimizer.safetensors (AdamW's moments by parameter and the step) and rng_state.json
// (the dropout seed stream). A run saved on one backend resumes on the other.
import { readOptimizerState, Tensor, writeOptimizerState } from '@albertjs/core';
import type { OnnxTrainer } from './trainer.js';

/** Writes the model, optimizer and random state into `dir`; returns the paths. Node only. */
export async function saveTrainingState(trainer: OnnxTrainer, dir: string): Promise<string[]> {
  await trainer.sync(); // optimizerOn 'device': the moments and parameters from the GPU
  const moments = new Map<string, Tensor<Float32Array>>();
  const shape = (name: string) => [...(trainer.model.training.params.get(name)?.dims ?? [])];
  for (const [k, m] of trainer.optimizer.m) moments.set(`exp_avg.${k}`, new Tensor('float32', m, shape(k)));
  for (const [k, v] of trainer.optimizer.v) moments.set(`exp_avg_sq.${k}`, new Tensor('float32', v, shape(k)));
  const state = {
    step: trainer.optimizer.step,
    moments,
    dropout: trainer.rng.state,
    pendingMicroBatches: trainer.pendingMicroBatches,
  };
  if (state.pendingMicroBatches) return writeOptimizerState(dir, state); // refuses, before the model is written
  return [...(await trainer.save(dir)), ...(await writeOptimizerState(dir, state))];
}

/** Restores the optimizer state saveTrainingState (of either backend) wrote; the weights load as any model folder. */
export async function loadTrainingState(trainer: OnnxTrainer, dir: string): Promise<{ step: number }> {
  const { step, m, v, dropout } = await readOptimizerState(dir);
  trainer.optimizer.m.clear();
  trainer.optimizer.v.clear();
  for (const [k, t] of m) trainer.optimizer.m.set(k, new Float32Array(t.data as Float32Array));
  for (const [k, t] of v) trainer.optimizer.v.set(k, new Float32Array(t.data as Float32Array));
  trainer.optimizer.step = step;
  trainer.device?.forget(); // the next device step uploads the restored moments
  trainer.rng.state = dropout;
  return { step };
}
