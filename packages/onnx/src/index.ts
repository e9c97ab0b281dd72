// @albertjs/onnx: ALBERT as ONNX graphs built in TypeScript, run by onnxruntime.
export { createBackend, type OnnxBackendOptions, type OnnxLoadOptions } from './backend.js';
export { exportOnnx, parameterBytes, type ExportOptions, type ExportResult } from './export.js';
export { loadOnnxModel, inspectOnnx, HEAD_FIELDS, type OnnxFileModel, type OnnxFileOptions } from './runtime/file-model.js';
export { FLAVOURS, WEIGHT_DTYPES, type Flavour, type WeightDType, type GraphOptions } from './model/options.js';
export { buildAlbertGraph, type BuiltGraph } from './model/build.js';
export { GraphBuilder } from './graph/builder.js';
export { serializeModel, decodeModel, type SerializedModel, type SerializeOptions } from './graph/serialize.js';
export type { SessionConfig, Runtime, GraphOptimizationLevel } from './runtime/ort.js';
export { OnnxModelHandle } from './runtime/handle.js';
