// Weight precision conversions done at export time: float32 → float16 bits, and symmetric per-channel
// int8 quantization of MatMul weights (as onnxruntime's quantize_dynamic with per_channel=True,
// weight_type=QInt8, symmetric: zero point 0, scale = max|w| / 127 per output column).
import { f32ToF16 } from '@albertjs/core';

export function toHalfBits(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = f32ToF16(x[k]!);
  return out;
}

export interface QuantizedWeight {
  /** [K, N] int8, row-major (the MatMul B operand). */
  q: Int8Array;
  /** [N] per-column scales. */
  scale: Float32Array;
}

/** Quantizes a row-major [K, N] MatMul weight per column (output channel). */
export function quantizePerColumn(w: Float32Array, K: number, N: number): QuantizedWeight {
  const scale = new Float32Array(N);
  for (let k = 0; k < K; k++) {
    const row = k * N;
    for (let n = 0; n < N; n++) {
      const a = Math.abs(w[row + n]!);
      if (a > scale[n]!) scale[n] = a;
    }
  }
  for (let n = 0; n < N; n++) scale[n] = scale[n]! > 0 ? scale[n]! / 127 : 1;
  const q = new Int8Array(K * N);
  for (let k = 0; k < K; k++) {
    const row = k * N;
    for (let n = 0; n < N; n++) q[row + n] = Math.max(-127, Math.min(127, Math.round(w[row + n]! / scale[n]!)));
  }
  return { q, scale };
}

/** Row-major transpose of an [R, C] matrix into [C, R] (torch Linear [out, in] → MatMul [in, out]). */
export function transpose2d(w: Float32Array, R: number, C: number): Float32Array {
  const out = new Float32Array(R * C);
  for (let r = 0; r < R; r++) {
    const src = r * C;
    for (let c = 0; c < C; c++) out[c * R + r] = w[src + c]!;
  }
  return out;
}
