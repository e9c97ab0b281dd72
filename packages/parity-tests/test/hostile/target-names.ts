// The fuzz targets of targets.ts by name (kept apart so the test can list them without loading every reader).
export const TARGET_NAMES = [
  'safetensors',
  'pickle',
  'torch-zip',
  'flax-msgpack',
  'spiece-model',
  'onnx-model',
  'tokenizer-json',
  'config-json',
] as const;
