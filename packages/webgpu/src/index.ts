// @albertjs/webgpu: ALBERT on hand-written WGSL kernels, in browsers (navigator.gpu) and Node (npm `webgpu`).
export { createBackend, WebGpuBackend, type WebGpuBackendOptions } from './backend.js';
export { WebGpuModel } from './handle.js';
export { KERNELS } from './kernels/index.js';
export type { DeviceOptions } from './runtime/device.js';
