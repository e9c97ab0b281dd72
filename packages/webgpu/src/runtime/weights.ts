// Uploads parameters once. The same Tensor object (tied decoder weight, shared ALBERT layers read
// through several layer indices) always maps to the same GPU buffer: bound again, never copied.
import { BackendError, f32ToF16, numel, shapeStr, type Tensor, toFloat32 } from '@albertjs/core';
import { BufferUsage } from './flags.js';
import type { Runtime } from './runtime.js';
import type { GpuTensor } from './tensor.js';

export class WeightStore {
  private readonly byTensor = new Map<object, GpuTensor>();
  private readonly byTensorHalf = new Map<object, GpuTensor>();
  private readonly owned: GPUBuffer[] = [];
  bytes = 0;

  /** `halfMatmul`: matmul weights are stored as f16 (the shader-f16 path); everything else stays f32. */
  constructor(
    private readonly rt: Runtime,
    readonly halfMatmul = false,
  ) {}

  /** A matmul weight ([out, in] of an nn.Linear): f16 on the half path, else f32. */
  matmul(t: Tensor, name: string): GpuTensor {
    return this.halfMatmul ? this.getHalf(t, name) : this.get(t, name);
  }

  /** A derived matmul weight (fused q|k|v) in the path's precision. */
  uploadMatmul(data: Float32Array, shape: readonly number[], name: string): GpuTensor {
    return this.halfMatmul ? this.uploadF16(data, shape, name) : this.uploadF32(data, shape, name);
  }

  /** `cache`'s copy of `t`, uploaded by `upload` on first use. */
  private cached(cache: Map<object, GpuTensor>, t: Tensor, upload: () => GpuTensor): GpuTensor {
    const hit = cache.get(t);
    if (hit) return hit;
    const g = upload();
    cache.set(t, g);
    return g;
  }

  /** The GPU copy of `t` (uploaded on first use). */
  get(t: Tensor, name: string): GpuTensor {
    return this.cached(this.byTensor, t, () => this.uploadF32(toFloat32(t).data, t.shape, name));
  }

  /** The half-precision GPU copy of `t` (matmul weights of the f16 path; uploaded on first use). */
  getHalf(t: Tensor, name: string): GpuTensor {
    return this.cached(this.byTensorHalf, t, () => this.uploadF16(toFloat32(t).data, t.shape, name));
  }

  /** Stores `data` as IEEE half bits (round to nearest even); shaders read it as array<f16>. */
  uploadF16(data: Float32Array, shape: readonly number[], name: string): GpuTensor {
    const half = new Uint16Array(data.length + (data.length % 2)); // padded to whole 4-byte words
    for (let i = 0; i < data.length; i++) half[i] = f32ToF16(data[i]!);
    const buffer = this.create(half, shape, name, data.length);
    return { buffer, shape: [...shape], dtype: 'f16' };
  }

  /** Uploads a derived parameter (e.g. fused q|k|v) that has no Tensor of its own. */
  uploadF32(data: Float32Array, shape: readonly number[], name: string): GpuTensor {
    const buffer = this.create(data, shape, name, data.length);
    return { buffer, shape: [...shape], dtype: 'f32' };
  }

  private create(data: Float32Array | Uint16Array, shape: readonly number[], name: string, n: number): GPUBuffer {
    const bytes = Math.max(4, data.byteLength);
    if (bytes > this.rt.gpu.maxBinding) {
      throw new BackendError(
        `WebGPU: weight ${name} ${shapeStr(shape)} needs ${bytes} bytes, more than maxStorageBufferBindingSize = ${this.rt.gpu.maxBinding} bytes of this adapter`,
      );
    }
    if (numel(shape) !== n)
      throw new BackendError(`WebGPU: weight ${name} has ${data.length} values for shape ${shapeStr(shape)}`);
    const buffer = this.rt.device.createBuffer({
      size: Math.ceil(bytes / 4) * 4,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
      label: name,
    });
    this.rt.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    this.owned.push(buffer);
    this.bytes += bytes;
    return buffer;
  }

  /** Number of GPU buffers holding parameters. */
  get count(): number {
    return this.owned.length;
  }

  destroy(): void {
    this.rt.bindGroups.forget(this.owned);
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
    this.byTensor.clear();
    this.byTensorHalf.clear();
  }
}
