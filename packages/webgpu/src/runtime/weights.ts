// Uploads parameters once. The same Tensor object (tied decoder weight, shared ALBERT layers read
// through several layer indices) always maps to the same GPU buffer: bound again, never copied.
import { BackendError, type Tensor, numel, shapeStr, toFloat32 } from '@albertjs/core';
import { BufferUsage } from './flags.js';
import type { Runtime } from './runtime.js';
import type { GpuTensor } from './tensor.js';

export class WeightStore {
  private readonly byTensor = new Map<object, GpuTensor>();
  private readonly owned: GPUBuffer[] = [];
  bytes = 0;

  constructor(private readonly rt: Runtime) {}

  /** The GPU copy of `t` (uploaded on first use). */
  get(t: Tensor, name: string): GpuTensor {
    const hit = this.byTensor.get(t);
    if (hit) return hit;
    const g = this.uploadF32(toFloat32(t).data, t.shape, name);
    this.byTensor.set(t, g);
    return g;
  }

  /** Uploads a derived parameter (e.g. fused q|k|v) that has no Tensor of its own. */
  uploadF32(data: Float32Array, shape: readonly number[], name: string): GpuTensor {
    const bytes = Math.max(4, data.byteLength);
    if (bytes > this.rt.gpu.maxBinding) {
      throw new BackendError(
        `WebGPU: weight ${name} ${shapeStr(shape)} needs ${bytes} bytes, more than maxStorageBufferBindingSize = ${this.rt.gpu.maxBinding} bytes of this adapter`,
      );
    }
    if (numel(shape) !== data.length) throw new BackendError(`WebGPU: weight ${name} has ${data.length} values for shape ${shapeStr(shape)}`);
    const buffer = this.rt.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST, label: name });
    this.rt.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    this.owned.push(buffer);
    this.bytes += bytes;
    return { buffer, shape: [...shape], dtype: 'f32' };
  }

  /** Number of GPU buffers holding parameters. */
  get count(): number {
    return this.owned.length;
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
    this.byTensor.clear();
  }
}
