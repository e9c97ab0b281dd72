// Compute pipelines by key. Keys name the kernel and its compile-time variant (activation, dtype,
// head-dim bucket), never a shape: shapes travel in uniforms, so one pipeline serves every shape.
export interface ProgramInfo {
  /** `gemm|gelu_new|f32`: kernel name plus variant, no shapes. */
  key: string;
  /** Builds the WGSL source; called once per key. */
  source: () => string;
}

export class ProgramCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  constructor(private readonly device: GPUDevice) {}

  get(info: ProgramInfo): GPUComputePipeline {
    let p = this.pipelines.get(info.key);
    if (!p) {
      const module = this.device.createShaderModule({ code: info.source(), label: info.key });
      p = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
        label: info.key,
      });
      this.pipelines.set(info.key, p);
    }
    return p;
  }

  get size(): number {
    return this.pipelines.size;
  }

  keys(): string[] {
    return [...this.pipelines.keys()];
  }
}
