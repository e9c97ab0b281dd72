/** 'node' (onnxruntime-node) or 'web' (onnxruntime-web: wasm / webgpu EPs). */
export type Runtime = 'node' | 'web';
