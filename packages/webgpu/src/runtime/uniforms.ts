// Uniform buffers holding a dispatch's sizes, cached by content: repeated forwards with the same
// shapes reuse them, so a forward writes no uniform data at all after the first.
import { BufferUsage } from './flags.js';

/** A uniform word: u32 by default, f32 when wrapped with f32(). */
export type UniformWord = number | { f32: number };

export function f32(v: number): { f32: number } {
  return { f32: v };
}

export class UniformCache {
  private readonly buffers = new Map<string, GPUBuffer>();
  constructor(private readonly device: GPUDevice) {}

  get(words: readonly UniformWord[]): GPUBuffer {
    const key = words.map((w) => (typeof w === 'number' ? `${w}` : `f${w.f32}`)).join(',');
    let buf = this.buffers.get(key);
    if (!buf) {
      const n = Math.max(4, Math.ceil(words.length / 4) * 4);
      buf = this.device.createBuffer({
        size: n * 4,
        usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
        mappedAtCreation: true,
      });
      const ab = buf.getMappedRange();
      const u = new Uint32Array(ab);
      const f = new Float32Array(ab);
      words.forEach((w, i) => {
        if (typeof w === 'number') u[i] = w >>> 0;
        else f[i] = w.f32;
      });
      buf.unmap();
      this.buffers.set(key, buf);
    }
    return buf;
  }

  destroy(): void {
    for (const b of this.buffers.values()) b.destroy();
    this.buffers.clear();
  }
}
