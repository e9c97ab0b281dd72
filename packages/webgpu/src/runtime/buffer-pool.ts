// Storage buffers for intermediates, recycled across kernels and forward passes. Sizes are rounded
// up to a bucket (powers of two, then 1/8 steps) so that shapes that change a little reuse buffers.
import { BackendError } from '@albertjs/core';
import { BufferUsage } from './flags.js';

export function bucketBytes(bytes: number): number {
  const b = Math.max(256, Math.ceil(bytes / 4) * 4);
  const p = 2 ** Math.floor(Math.log2(b));
  if (p === b) return b;
  const step = Math.max(256, p / 8);
  return Math.ceil(b / step) * step;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly live = new Set<GPUBuffer>();
  /** Creation order of every buffer. */
  private readonly order = new WeakMap<GPUBuffer, number>();
  private created = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Largest size one binding may have (maxStorageBufferBindingSize, possibly lowered). */
    readonly maxBinding: number,
  ) {}

  /** A buffer of at least `bytes`; `what` names the tensor in the error when it exceeds the limit. */
  acquire(bytes: number, what: string): GPUBuffer {
    if (bytes > this.maxBinding) {
      throw new BackendError(
        `WebGPU: ${what} needs ${bytes} bytes, more than maxStorageBufferBindingSize = ${this.maxBinding} bytes of this adapter; use a smaller batch or sequence length`,
      );
    }
    const size = Math.min(bucketBytes(bytes), Math.max(256, Math.ceil(this.maxBinding / 4) * 4));
    let buf = this.takeOldest(size);
    if (!buf) {
      buf = this.device.createBuffer({
        size,
        usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
        label: what,
      });
      this.order.set(buf, this.created++);
    }
    this.live.add(buf);
    return buf;
  }

  /**
   * The free buffer of `size` created first: the choice depends only on which buffers are free, so
   * forwards of one shape get the same buffers every time (and their cached bind groups).
   */
  private takeOldest(size: number): GPUBuffer | undefined {
    const list = this.free.get(size);
    if (!list?.length) return undefined;
    let best = 0;
    for (let i = 1; i < list.length; i++) if (this.order.get(list[i]!)! < this.order.get(list[best]!)!) best = i;
    return list.splice(best, 1)[0];
  }

  release(buf: GPUBuffer): void {
    if (!this.live.delete(buf)) return;
    const list = this.free.get(buf.size);
    if (list) list.push(buf);
    else this.free.set(buf.size, [buf]);
  }

  /** Buffers held now (for tests: a forward must give every buffer back). */
  get liveCount(): number {
    return this.live.size;
  }

  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const b of this.live) b.destroy();
    this.free.clear();
    this.live.clear();
  }
}
