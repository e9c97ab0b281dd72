// @albertjs/tfjs: ALBERT on TensorFlow.js (inference on every tfjs runtime, and training).
export { createBackend, TfjsBackend, type TfjsBackendOptions } from './backend.js';
export { TfjsAlbertModel, type RunOptions } from './model.js';
export { selectRuntime, RUNTIME_ORDER, type RuntimeName, type RuntimeOptions, type RuntimeInfo } from './runtime.js';
export { ACTIVATIONS, activation } from './activations.js';
export { SDPA_BLOCK } from './model/attention.js';
export { Trainer, type TrainerOptions, type StepResult, type EvalResult } from './train/trainer.js';
export { AdamW, type AdamWOptions, clipByGlobalNorm, decays } from './train/adamw.js';
export { linearWarmupDecay, type LinearScheduleOptions } from './train/schedule.js';
export { MlmSopCollator, type CollatorOptions, type SpecialIds, type PretrainingExample } from './train/collator.js';
export { checkpointFiles, exportTensors, saveCheckpoint, type CheckpointFiles } from './train/checkpoint.js';
export { initTensors, initWeights, mulberry32 } from './train/init.js';
export { tf } from './tf.js';
