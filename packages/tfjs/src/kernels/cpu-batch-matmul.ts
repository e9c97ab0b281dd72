// BatchMatMul for the cpu runtime (tfjs-backend-cpu, pure JS), replacing tfjs' own kernel for float32:
// same inputs, attributes, broadcasting and output as
// https://github.com/tensorflow/tfjs/blob/tfjs-v4.22.0/tfjs-backend-cpu/src/kernels/BatchMatMul.ts,
// computed by kernels/gemm.ts (≈ 3–6× faster), which reads transposed operands through strides. Other
// dtypes and invalid shapes go to tfjs' kernel (its errors).
// Gradients of matMul are matMuls, so training on cpu runs through here too.
import { tf } from '../tf.js';
import { gemm } from './gemm.js';
import { overrideKernel } from './override.js';

interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/** Registers the kernel over tfjs-backend-cpu's BatchMatMul (once per process; process-wide, like any tfjs kernel). */
export function registerCpuBatchMatMul(): void {
  overrideKernel('BatchMatMul', 'cpu', (original) => (args) => {
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as unknown as CpuBackend;
    const av = backend.data.get(a.dataId).values;
    const bv = backend.data.get(b.dataId).values;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    if (
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      !(av instanceof Float32Array) ||
      !(bv instanceof Float32Array) ||
      ra < 2 ||
      rb < 2 ||
      K !== (transposeB ? b.shape[rb - 1] : b.shape[rb - 2])
    )
      return original(args);
    const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const N = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    // Batch dims broadcast as in tfjs: the output's are the broadcast shape, batch i reads a's i mod
    // (a's batch count) and b's i mod (b's).
    const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    const out = new Float32Array(batch * M * N); // [batch, M, N], reshaped to outBatch + [M, N] below
    for (let i = 0; i < batch; i++) {
      const ia = (i % batchA) * M * K;
      const ib = (i % batchB) * K * N;
      // a's matrix is [M, K] row-major, or [K, M] when transposeA; b's [K, N], or [N, K] when transposeB.
      const am = transposeA
        ? { data: av, offset: ia, rowStride: 1, colStride: M }
        : { data: av, offset: ia, rowStride: K, colStride: 1 };
      const bm = transposeB
        ? { data: bv, offset: ib, rowStride: 1, colStride: K }
        : { data: bv, offset: ib, rowStride: N, colStride: 1 };
      gemm(am, bm, out, i * M * N, M, K, N);
    }
    return backend.makeTensorInfo([...outBatch, M, N], 'float32', out);
  });
}
