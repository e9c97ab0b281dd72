// Raw bytes of a checkpoint tensor → the typed array that holds its dtype (safetensors, flax msgpack,
// torch pickles all store plain little-endian element bytes).
import type { DType, TensorData } from './tensor.js';

/** Bytes per element of every dtype. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/**
 * A typed array of `dtype` over a private, aligned copy of `bytes` (offsets inside a file need not be aligned
 * to the element size); big-endian input is byte-swapped. f16/bf16 stay raw Uint16Array bits.
 */
export function typedArrayFromBytes(dtype: DType, bytes: Uint8Array, littleEndian = true): TensorData {
  const b = bytes.slice();
  const size = DTYPE_BYTES[dtype];
  if (!littleEndian && size > 1) for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
  const buf = b.buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buf);
    case 'float64':
      return new Float64Array(buf);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(buf);
    case 'int64':
      return new BigInt64Array(buf);
    case 'int32':
      return new Int32Array(buf);
    case 'int16':
      return new Int16Array(buf);
    case 'int8':
      return new Int8Array(buf);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buf);
  }
}
