// @albertjs/onnx: ALBERT as ONNX graphs built in TypeScript, run by onnxruntime.
export { createBackend, type OnnxBackendOptions, type OnnxLoadOptions } from './backend.js';
export { type ExportOptions, type ExportResult, exportOnnx, parameterBytes } from './export.js';
export { GraphBuilder } from './graph/builder.js';
export { decodeModel, type SerializedModel, type SerializeOptions, serializeModel } from './graph/serialize.js';
export { type BuiltGraph, buildAlbertGraph } from './model/build.js';
export { FLAVOURS, type Flavour, type GraphOptions, WEIGHT_DTYPES, type WeightDType } from './model/options.js';
export {
  inspectOnnx,
  loadOnnxModel,
  type OnnxFileModel,
  type OnnxFileOptions,
} from './runtime/file-model.js';
export { OnnxModelHandle } from './runtime/handle.js';
export type { GraphOptimizationLevel, Runtime, SessionConfig } from './runtime/ort.js';
export { clipByGlobalNorm, HostAdamW, type HostAdamWOptions } from './train/adamw.js';
export { loadTrainingState, saveTrainingState } from './train/resume.js';
export { dropoutsOf, OnnxTrainer, type OnnxTrainerOptions } from './train/trainer.js';
export {
  buildTrainingGraph,
  type Objective,
  type TrainingGraph,
  type TrainingGraphOptions,
} from './train/training-graph.js';
