// TrainerOptions with their defaults and checks, shared by every backend's Trainer and optimizer.
import { InputError } from '../errors.js';
import { linearWarmupDecay } from './schedule.js';
import type { TrainerOptions } from './trainer.js';

export interface AdamWHyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.AdamW's defaults, except transformers' weight decay 0.01. */
export function adamwHyper(o: Partial<AdamWHyper> = {}): AdamWHyper {
  return { beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8, weightDecay: o.weightDecay ?? 0.01 };
}

export interface TrainerSettings {
  accumulation: number;
  maxGradNorm: number;
  totalSteps: number;
  schedule: (step: number) => number;
  adamw: Partial<AdamWHyper>;
}

/** Checked settings of `options` (InputError naming a bad value). */
export function trainerSettings(options: TrainerOptions): TrainerSettings {
  const accumulation = options.gradientAccumulationSteps ?? 1;
  if (!Number.isInteger(accumulation) || accumulation < 1)
    throw new InputError(`gradientAccumulationSteps must be a positive integer, got ${accumulation}`);
  return {
    accumulation,
    maxGradNorm: options.maxGradNorm ?? 1,
    totalSteps: options.totalSteps,
    schedule: linearWarmupDecay({
      peakLr: options.learningRate,
      warmupSteps: options.warmupSteps ?? 0,
      totalSteps: options.totalSteps,
    }),
    adamw: {
      ...(options.weightDecay !== undefined ? { weightDecay: options.weightDecay } : {}),
      ...(options.beta1 !== undefined ? { beta1: options.beta1 } : {}),
      ...(options.beta2 !== undefined ? { beta2: options.beta2 } : {}),
      ...(options.eps !== undefined ? { eps: options.eps } : {}),
    },
  };
}
