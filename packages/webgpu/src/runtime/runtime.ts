// Everything a backend instance shares: device, buffer pool, program and uniform caches.
import type { GemmVariant } from '../kernels/gemm.js';
import { BindGroupCache } from './bind-groups.js';
import { BufferPool } from './buffer-pool.js';
import { type DeviceOptions, GpuDevice } from './device.js';
import { ProgramCache } from './program-cache.js';
import { UniformCache } from './uniforms.js';

export class Runtime {
  readonly pool: BufferPool;
  /** GEMM program: workgroup-memory tiles on GPUs, register blocks on CPU adapters (SwiftShader). */
  gemmVariant: GemmVariant;
  readonly programs: ProgramCache;
  readonly uniforms: UniformCache;
  readonly bindGroups: BindGroupCache;
  private constructor(readonly gpu: GpuDevice) {
    this.pool = new BufferPool(gpu.device, gpu.maxBinding);
    this.programs = new ProgramCache(gpu.device);
    this.uniforms = new UniformCache(gpu.device);
    this.bindGroups = new BindGroupCache(gpu.device);
    this.gemmVariant = gpu.isCpu ? 'register' : 'tiled';
  }

  static async create(options: DeviceOptions = {}): Promise<Runtime> {
    return new Runtime(await GpuDevice.create(options));
  }

  get device(): GPUDevice {
    return this.gpu.device;
  }

  destroy(): void {
    this.pool.destroy();
    this.uniforms.destroy();
    this.gpu.destroy();
  }
}
