// A tensor living in a GPU storage buffer. Element type is f32 unless noted (ids and masks are i32).
export type GpuDType = 'f32' | 'i32' | 'f16';

export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  readonly dtype: GpuDType;
}

export function bytesOf(dtype: GpuDType, n: number): number {
  return dtype === 'f16' ? Math.ceil((n * 2) / 4) * 4 : n * 4;
}
