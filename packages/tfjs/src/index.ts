// @albertjs/tfjs: ALBERT on TensorFlow.js (inference on every tfjs runtime, and training).

export { type LinearScheduleOptions, linearWarmupDecay } from '@albertjs/core';
export { ACTIVATIONS, activation } from './activations.js';
export { createBackend, TfjsBackend, type TfjsBackendOptions } from './backend.js';
export { type RunOptions, TfjsAlbertModel } from './handle.js';
export { SDPA_BLOCK } from './model/attention.js';
export { RUNTIME_ORDER, type RuntimeInfo, type RuntimeName, type RuntimeOptions, selectRuntime } from './runtime.js';
export { tf } from './tf.js';
export { AdamW, type AdamWOptions, clipByGlobalNorm, decays } from './train/adamw.js';
export { type CheckpointFiles, checkpointFiles, exportTensors, saveCheckpoint } from './train/checkpoint.js';
export { type CollatorOptions, MlmSopCollator, type PretrainingExample, type SpecialIds } from './train/collator.js';
export { initTensors, initWeights, mulberry32 } from './train/init.js';
export { loadTrainingState, OPTIMIZER_FILE, RNG_FILE, saveTrainingState } from './train/resume.js';
export {
  type EvalResult,
  type FitOptions,
  type FitResult,
  type StepResult,
  Trainer,
  type TrainerOptions,
} from './train/trainer.js';
