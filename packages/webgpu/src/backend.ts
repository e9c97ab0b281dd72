// The @albertjs/webgpu Backend: one adapter + device per backend, models loaded onto it.
import type { AlbertConfig, AlbertModelHandle, Backend, HeadName, LoadModelOptions, WeightMap } from '@albertjs/core';
import { checkAttnImplementation, checkDType } from '@albertjs/core';
import { WebGpuModel } from './handle.js';
import type { DeviceOptions } from './runtime/device.js';
import { Runtime } from './runtime/runtime.js';

export type WebGpuBackendOptions = DeviceOptions;

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private constructor(readonly runtime: Runtime) {}

  static async create(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
    return new WebGpuBackend(await Runtime.create(options));
  }

  /** The GPUDevice in use (e.g. to share it with other WebGPU code). */
  get device(): GPUDevice {
    return this.runtime.device;
  }

  async describe(): Promise<string> {
    const f = this.runtime.gpu.features;
    const extras = [
      f.shaderF16 ? 'shader-f16' : '',
      f.subgroups ? 'subgroups' : '',
      f.subgroupMatrix ? 'subgroup-matrix' : '',
    ].filter((s) => s);
    return `${this.runtime.gpu.description}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }

  async loadModel<H extends HeadName>(
    head: H,
    config: AlbertConfig,
    weights: WeightMap,
    options: LoadModelOptions = {},
  ): Promise<AlbertModelHandle<H>> {
    this.runtime.gpu.checkAlive();
    const impl = checkAttnImplementation(options.attnImplementation ?? 'sdpa');
    const requested = checkDType('@albertjs/webgpu', options.dtype ?? 'float32', ['float32', 'float16'] as const);
    let dtype: 'float32' | 'float16' = requested;
    if (dtype === 'float16' && !this.runtime.gpu.features.shaderF16) {
      console.warn(
        `@albertjs/webgpu: dtype "float16" needs the adapter feature shader-f16, which ${this.runtime.gpu.description} lacks; running float32`,
      );
      dtype = 'float32';
    }
    return new WebGpuModel(this.runtime, head, config, weights, impl, dtype);
  }

  dispose(): void {
    this.runtime.destroy();
  }
}

/** Creates the WebGPU backend: `navigator.gpu` in browsers (or `options.gpu`), the npm `webgpu` package in Node. */
export async function createBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  return WebGpuBackend.create(options);
}
