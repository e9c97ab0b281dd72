// The adapter and device, created once per backend. Knows the limits that kernels must respect and
// which optional features (shader-f16, subgroup matrices) this adapter offers.
import { BackendError } from '@albertjs/core';
import { isNode, nodeGpu } from './node-gpu.js';

export interface DeviceOptions {
  /** A GPU object: `navigator.gpu` in browsers. Default: `navigator.gpu`, else the npm `webgpu` package in Node. */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
  /** Dawn instance options for Node's `webgpu` package, e.g. `enable-dawn-features=allow_unsafe_apis`. */
  dawnOptions?: string[];
  /** Lower the storage-binding limit (bytes) below the adapter's, e.g. to test splitting. */
  maxStorageBufferBindingSize?: number;
}

export interface DeviceFeatures {
  shaderF16: boolean;
  subgroups: boolean;
  subgroupMatrix: boolean;
}

export class GpuDevice {
  /** Set when the device was lost; every later call throws a BackendError with it. */
  lostReason: string | null = null;
  private constructor(
    /** Kept referenced: Node's `webgpu` tears its Dawn instance down when this object is collected. */
    readonly gpu: GPU,
    readonly device: GPUDevice,
    readonly description: string,
    readonly features: DeviceFeatures,
    readonly maxBinding: number,
    readonly maxBufferSize: number,
    /** A software adapter (SwiftShader, llvmpipe / lavapipe, a fallback adapter): kernels pick CPU-friendly programs. */
    readonly isCpu: boolean,
  ) {
    device.lost.then((info) => {
      this.lostReason = `${info.reason}: ${info.message || 'no message'}`;
    });
  }

  static async create(options: DeviceOptions = {}): Promise<GpuDevice> {
    const gpu =
      options.gpu ??
      (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ??
      (isNode() ? await nodeGpu(options.dawnOptions) : undefined);
    if (!gpu) {
      throw new BackendError(
        'WebGPU is not available here (no navigator.gpu); use @albertjs/onnx or @albertjs/tfjs instead',
      );
    }
    const adapter = await gpu.requestAdapter(
      options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
    );
    if (!adapter) {
      throw new BackendError(
        'WebGPU: requestAdapter() returned no adapter (no usable GPU or software rasterizer; in Node set VK_ICD_FILENAMES to a Vulkan ICD such as SwiftShader); use @albertjs/onnx or @albertjs/tfjs instead',
      );
    }
    const has = (f: string) => adapter.features.has(f);
    const features: DeviceFeatures = {
      shaderF16: has('shader-f16'),
      subgroups: has('subgroups'),
      subgroupMatrix: has('chromium-experimental-subgroup-matrix'),
    };
    const requiredFeatures = (['shader-f16', 'subgroups'] as const).filter(has) as GPUFeatureName[];
    const lim = adapter.limits;
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: {
          maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
          maxBufferSize: lim.maxBufferSize,
          maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
          maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
          maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
        },
      });
    } catch (e) {
      throw new BackendError(
        `WebGPU: requestDevice() failed: ${(e as Error).message}; use @albertjs/onnx or @albertjs/tfjs instead`,
        { cause: e },
      );
    }
    const info = adapter.info;
    const name =
      [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ') ||
      'unknown adapter';
    const maxBinding = Math.min(
      lim.maxStorageBufferBindingSize,
      options.maxStorageBufferBindingSize ?? Number.POSITIVE_INFINITY,
    );
    const isCpu =
      /swiftshader|llvmpipe|lavapipe|softpipe|warp/i.test(name) ||
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
      (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
    return new GpuDevice(gpu, device, `WebGPU ${name}`, features, maxBinding, lim.maxBufferSize, isCpu);
  }

  /** Throws a BackendError when the device was lost. */
  checkAlive(): void {
    if (this.lostReason !== null) {
      throw new BackendError(`WebGPU device was lost (${this.lostReason}); create a new backend with createBackend()`);
    }
  }

  destroy(): void {
    this.device.destroy();
  }
}
