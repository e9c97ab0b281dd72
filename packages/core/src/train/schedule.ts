// Learning-rate schedule of transformers' get_linear_schedule_with_warmup:
// lr · step / warmup during warmup, then linear decay to 0 at totalSteps.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/optimization.py#L107 (get_linear_schedule_with_warmup)
import { InputError } from '../errors.js';

export interface LinearScheduleOptions {
  peakLr: number;
  warmupSteps: number;
  totalSteps: number;
}

export function linearWarmupDecay({
  peakLr,
  warmupSteps,
  totalSteps,
}: LinearScheduleOptions): (step: number) => number {
  if (!(peakLr > 0)) throw new InputError(`learning rate must be > 0, got ${peakLr}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1)
    throw new InputError(`totalSteps must be a positive integer, got ${totalSteps}`);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps > totalSteps)
    throw new InputError(`warmupSteps must be an integer in [0, totalSteps = ${totalSteps}], got ${warmupSteps}`);
  return (step) => {
    if (step < warmupSteps) return (peakLr * step) / Math.max(1, warmupSteps);
    return peakLr * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  };
}
