// Bind groups by (pipeline, buffers): a repeated forward with the same shapes gets the same pooled
// buffers and cached uniforms, so it re-records without creating any bind group.
const MAX_ENTRIES = 4096;

export class BindGroupCache {
  private readonly ids = new WeakMap<object, number>();
  private next = 1;
  private readonly groups = new Map<string, GPUBindGroup>();
  constructor(private readonly device: GPUDevice) {}

  private id(o: object): number {
    let i = this.ids.get(o);
    if (i === undefined) {
      i = this.next++;
      this.ids.set(o, i);
    }
    return i;
  }

  /** Binding i is buffers[i] (whole buffer). */
  get(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], label: string): GPUBindGroup {
    const key = `${this.id(pipeline)}:${buffers.map((b) => this.id(b)).join(',')}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_ENTRIES) this.groups.clear();
      g = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
        label,
      });
      this.groups.set(key, g);
    }
    return g;
  }

  /** Forgets groups that bind `buffers` (called before they are destroyed). */
  forget(buffers: readonly GPUBuffer[]): void {
    const dead = new Set(buffers.map((b) => this.ids.get(b)).filter((i) => i !== undefined));
    if (dead.size === 0) return;
    for (const k of [...this.groups.keys()]) {
      if (
        k
          .split(':')[1]!
          .split(',')
          .some((i) => dead.has(Number(i)))
      )
        this.groups.delete(k);
    }
  }

  get size(): number {
    return this.groups.size;
  }
}
