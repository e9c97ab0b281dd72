// The pure-JS GEMM behind the cpu runtime's BatchMatMul (kernels/cpu-batch-matmul.ts): C[M, N] = A[M, K] ·
// B[K, N] with A and B read through strides (so transposed operands cost nothing extra) and C written
// row-major. Both operands are first packed into 4-wide panels (A: 4 rows × K, B: K × 4 columns,
// zero-padded at the edges), then every 4 × 4 block of C is accumulated over K in sixteen locals: 8 loads
// per 16 multiply-adds and no stores inside the K loop. Accumulation is in float64 (JS numbers), as in
// tfjs-backend-cpu's own kernel, rounded to float32 once per output. ≈ 3.3 GFLOP/s on one 2026 Xeon core,
// against ≈ 0.5 for tfjs-backend-cpu's kernel (BENCHMARKS.md).

/** A matrix inside a flat array: element (r, c) is data[offset + r · rowStride + c · colStride]. */
export interface StridedMatrix {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Packed operands up to this many floats (16 MB) reuse one buffer; larger ones are allocated and left to the GC. */
const SCRATCH_LIMIT = 4 * 2 ** 20;
let scratch = new Float32Array(0);

/** The buffer for both packed operands (JS runs one kernel at a time, so one small buffer serves them all). */
function packBuffer(size: number): Float32Array {
  if (size > SCRATCH_LIMIT) return new Float32Array(size);
  if (scratch.length < size) scratch = new Float32Array(size);
  return scratch;
}

/**
 * Packs rows [0, rows) × columns [0, cols) of m, 4 rows at a time, into dst from `at`:
 * dst[at + (r0 / 4) · cols · 4 + c · 4 + (r − r0)] = m(r, c), zero past the last row.
 */
function packPanels(m: StridedMatrix, rows: number, cols: number, dst: Float32Array, at: number): void {
  const { data, offset, rowStride, colStride } = m;
  let p = at;
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const live = Math.min(4, rows - r0);
    for (let c = 0; c < cols; c++) {
      const base = offset + r0 * rowStride + c * colStride;
      for (let q = 0; q < 4; q++) dst[p++] = q < live ? data[base + q * rowStride]! : 0;
    }
  }
}

/** Writes A (M × K) · B (K × N) into out[outOffset …] as M × N row-major float32. */
export function gemm(
  a: StridedMatrix,
  b: StridedMatrix,
  out: Float32Array,
  outOffset: number,
  M: number,
  K: number,
  N: number,
): void {
  const panelsA = Math.ceil(M / 4);
  const panelsB = Math.ceil(N / 4);
  const buf = packBuffer((panelsA + panelsB) * 4 * K);
  packPanels(a, M, K, buf, 0);
  const bAt = panelsA * 4 * K;
  // B's columns are the panel rows: view B transposed (column c of B = row c of Bᵀ).
  packPanels({ data: b.data, offset: b.offset, rowStride: b.colStride, colStride: b.rowStride }, N, K, buf, bAt);
  const P = buf;
  for (let pi = 0; pi < panelsA; pi++) {
    const i0 = pi * 4;
    const aBase = pi * 4 * K;
    for (let pj = 0; pj < panelsB; pj++) {
      const j0 = pj * 4;
      let pa = aBase;
      let pb = bAt + pj * 4 * K;
      // biome-ignore format: one line per row of the 4 × 4 block
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      // biome-ignore format: one line per row of the 4 × 4 block
      for (let k = 0; k < K; k++, pa += 4, pb += 4) {
        const a0 = P[pa]!, a1 = P[pa + 1]!, a2 = P[pa + 2]!, a3 = P[pa + 3]!;
        const b0 = P[pb]!, b1 = P[pb + 1]!, b2 = P[pb + 2]!, b3 = P[pb + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const rows = Math.min(4, M - i0);
      const cols = Math.min(4, N - j0);
      // biome-ignore format: one line per row of the 4 × 4 block
      if (rows === 4 && cols === 4) {
        let o = outOffset + i0 * N + j0;
        out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += N;
        out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += N;
        out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += N;
        out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
      } else {
        const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) out[outOffset + (i0 + r) * N + j0 + c] = block[r * 4 + c]!;
      }
    }
  }
}
