// Records one forward pass: every dispatch goes into one compute pass of one command buffer,
// intermediates come from the pool, and each requested output gets one copy + one mapAsync.
import { BackendError, numel, shapeStr } from '@albertjs/core';
import { BufferUsage, MapMode } from './flags.js';
import type { ProgramInfo } from './program-cache.js';
import type { Runtime } from './runtime.js';
import { bytesOf, type GpuDType, type GpuTensor } from './tensor.js';
import type { UniformWord } from './uniforms.js';

/** Most workgroups along one dispatch dimension (WebGPU's default limit). */
export const MAX_GROUPS = 65535;

/** Splits `n` workgroups over x and y; kernels recover the index as `wid.x + wid.y * nwg.x`. */
export function grid(n: number): [number, number] {
  if (n <= MAX_GROUPS) return [Math.max(1, n), 1];
  return [MAX_GROUPS, Math.ceil(n / MAX_GROUPS)];
}

interface PendingRead {
  src: GPUBuffer;
  bytes: number;
  staging?: GPUBuffer;
  data?: ArrayBuffer;
}

export class Recorder {
  private readonly encoder: GPUCommandEncoder;
  private readonly pass: GPUComputePassEncoder;
  private readonly temps = new Set<GPUBuffer>();
  private readonly reads: PendingRead[] = [];
  /** Buffers scheduled for readback: never recycled before run() copies them out. */
  private readonly pinned = new Set<GPUBuffer>();
  private done = false;

  constructor(readonly rt: Runtime) {
    rt.gpu.checkAlive();
    rt.device.pushErrorScope('out-of-memory');
    rt.device.pushErrorScope('validation');
    this.encoder = rt.device.createCommandEncoder({ label: 'albert forward' });
    this.pass = this.encoder.beginComputePass();
  }

  /** A pooled intermediate of `shape`; `what` names it in limit errors. */
  alloc(shape: readonly number[], what: string, dtype: GpuDType = 'f32'): GpuTensor {
    const buffer = this.rt.pool.acquire(bytesOf(dtype, numel(shape)), `${what} ${shapeStr(shape)}`);
    this.temps.add(buffer);
    return { buffer, shape: [...shape], dtype };
  }

  /** Gives an intermediate back to the pool; later dispatches may reuse its memory. */
  free(t: GpuTensor | undefined): void {
    if (!t || this.pinned.has(t.buffer)) return;
    if (this.temps.delete(t.buffer)) this.rt.pool.release(t.buffer);
  }

  /** Uploads a per-call input (ids, masks, embeddings) into a pooled buffer. */
  upload(data: Float32Array | Int32Array, shape: readonly number[], what: string): GpuTensor {
    const t = this.alloc(shape, what, data instanceof Int32Array ? 'i32' : 'f32');
    this.rt.device.queue.writeBuffer(t.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return t;
  }

  dispatch(
    program: ProgramInfo,
    bindings: readonly GPUBuffer[],
    uniforms: readonly UniformWord[],
    groups: readonly [number, number?, number?],
  ): void {
    const pipeline = this.rt.programs.get(program);
    const bindGroup = this.rt.bindGroups.get(pipeline, [...bindings, this.rt.uniforms.get(uniforms)], program.key);
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = groups;
    if (x > MAX_GROUPS || y > MAX_GROUPS || z > MAX_GROUPS) {
      throw new BackendError(
        `WebGPU: ${program.key} needs ${x}×${y}×${z} workgroups, more than ${MAX_GROUPS} along one dimension`,
      );
    }
    this.pass.dispatchWorkgroups(x, y, z);
  }

  /** Schedules a readback of `t`; the returned function gives its data after run(). */
  read(t: GpuTensor): () => Float32Array {
    const r: PendingRead = { src: t.buffer, bytes: bytesOf(t.dtype, numel(t.shape)) };
    this.reads.push(r);
    this.pinned.add(t.buffer);
    const n = numel(t.shape);
    return () => {
      if (!r.data) throw new BackendError('WebGPU: output read before the forward pass ran');
      return new Float32Array(r.data, 0, n);
    };
  }

  /** Ends the pass, copies outputs, submits, waits for the readbacks and returns every intermediate. */
  async run(): Promise<void> {
    if (this.done) throw new BackendError('WebGPU: a recorder runs once');
    this.done = true;
    const dev = this.rt.device;
    try {
      this.pass.end();
      for (const r of this.reads) {
        r.staging = dev.createBuffer({
          size: Math.max(4, r.bytes),
          usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
        });
        this.encoder.copyBufferToBuffer(r.src, 0, r.staging, 0, r.bytes);
      }
      dev.queue.submit([this.encoder.finish()]);
    } finally {
      for (const b of this.temps) this.rt.pool.release(b);
      this.temps.clear();
    }
    // Both scopes are popped before any await: recording + submit + pops stay one synchronous block,
    // so forwards of other models on this device cannot interleave their scopes with ours.
    const [validation, oom] = await Promise.all([dev.popErrorScope(), dev.popErrorScope()]);
    this.rt.gpu.checkAlive();
    if (oom)
      throw new BackendError(
        `WebGPU ran out of GPU memory during the forward pass (${oom.message}); use a smaller batch or sequence length`,
      );
    if (validation) throw new BackendError(`WebGPU rejected the forward pass: ${validation.message}`);
    try {
      await Promise.all(
        this.reads.map(async (r) => {
          const s = r.staging!;
          await s.mapAsync(MapMode.READ);
          r.data = s.getMappedRange().slice(0);
          s.unmap();
          s.destroy();
        }),
      );
    } catch (e) {
      this.rt.gpu.checkAlive();
      throw new BackendError(`WebGPU: reading results back failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Discards the recording (on a validation error thrown while encoding). */
  async abandon(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const b of this.temps) this.rt.pool.release(b);
    this.temps.clear();
    await Promise.all([this.rt.device.popErrorScope(), this.rt.device.popErrorScope()]);
  }
}
