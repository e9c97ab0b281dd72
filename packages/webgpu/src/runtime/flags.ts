// WebGPU's numeric flag values (fixed by the spec), so the package needs no GPUBufferUsage global
// (Node's `webgpu` package does not install one).
// https://www.w3.org/TR/webgpu/#buffer-usage
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
