// Resumable checkpoints of OnnxTrainer in the format every albertjs Trainer shares (core's train/state.ts):
// the model folder, optimizer.safetensors (AdamW's moments by parameter and the step) and rng_state.json
// (no dropout on onnx: its seed stream stays at 0). A run saved on one backend resumes on the other.
import {
  decodeOptimizerState,
  decodeRngState,
  encodeOptimizerState,
  InputError,
  nodeBuiltin,
  OPTIMIZER_FILE,
  RNG_FILE,
  Tensor,
} from '@albertjs/core';
import type { OnnxTrainer } from './trainer.js';

/** Writes the model, optimizer and random state into `dir`; returns the paths. Node only. */
export async function saveTrainingState(trainer: OnnxTrainer, dir: string): Promise<string[]> {
  if (trainer.pendingMicroBatches)
    throw new InputError(
      `a resumable checkpoint is taken at an optimizer step; ${trainer.pendingMicroBatches} micro-batch(es) are accumulated`,
    );
  const { writeFile, rename } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const paths = await trainer.save(dir);
  const opt = new Map<string, Tensor<Float32Array>>();
  const shape = (name: string) => [...(trainer.model.training.params.get(name)?.dims ?? [])];
  for (const [k, m] of trainer.optimizer.m) opt.set(`exp_avg.${k}`, new Tensor('float32', m, shape(k)));
  for (const [k, v] of trainer.optimizer.v) opt.set(`exp_avg_sq.${k}`, new Tensor('float32', v, shape(k)));
  const files: [string, Uint8Array | string][] = [
    [OPTIMIZER_FILE, encodeOptimizerState(trainer.optimizer.step, opt)],
    [RNG_FILE, `${JSON.stringify({ dropout: 0 }, null, 2)}\n`],
  ];
  for (const [f, data] of files) {
    const p = join(dir, f);
    await writeFile(`${p}.tmp`, data);
    await rename(`${p}.tmp`, p);
    paths.push(p);
  }
  return paths;
}

/** Restores the optimizer state saveTrainingState (of either backend) wrote; the weights load as any model folder. */
export async function loadTrainingState(trainer: OnnxTrainer, dir: string): Promise<{ step: number }> {
  const { readFile } = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const bytes = new Uint8Array(await readFile(join(dir, OPTIMIZER_FILE))).slice();
  const { step, m, v } = decodeOptimizerState(bytes, join(dir, OPTIMIZER_FILE));
  decodeRngState(await readFile(join(dir, RNG_FILE), 'utf8'), join(dir, RNG_FILE));
  trainer.optimizer.m.clear();
  trainer.optimizer.v.clear();
  for (const [k, t] of m) trainer.optimizer.m.set(k, new Float32Array(t.data as Float32Array));
  for (const [k, t] of v) trainer.optimizer.v.set(k, new Float32Array(t.data as Float32Array));
  trainer.optimizer.step = step;
  return { step };
}
