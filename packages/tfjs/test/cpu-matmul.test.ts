// The cpu runtime's float32 BatchMatMul (src/kernels) against a float64 reference product, over the
// cases tfjs' matMul allows: transposes, batch broadcasting, ranks 2–4, sizes that cross the kernel's
// 4-row, 256-deep and 512-wide blocks; int32 and bad shapes still go to tfjs' kernel.
import { describe, expect, it } from 'vitest';
import { createBackend, mulberry32, tf } from '../src/index.js';

/** a·b in float64 for row-major [batch…, M, K] × [batch…, K, N] (batch of 1 broadcasts). */
function reference(a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean) {
  const ra = aShape.length;
  const rb = bShape.length;
  const M = ta ? aShape[ra - 1]! : aShape[ra - 2]!;
  const K = ta ? aShape[ra - 2]! : aShape[ra - 1]!;
  const N = tb ? bShape[rb - 2]! : bShape[rb - 1]!;
  const batchA = a.length / (M * K);
  const batchB = b.length / (K * N);
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * M * N);
  for (let i = 0; i < batch; i++) {
    const oa = (i % batchA) * M * K;
    const ob = (i % batchB) * K * N;
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[oa + (ta ? k * M + m : m * K + k)]! * b[ob + (tb ? n * K + k : k * N + n)]!;
        out[i * M * N + m * N + n] = s;
      }
  }
  return out;
}

function random(shape: number[], seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((n, x) => n * x, 1) }, () => r() * 2 - 1);
}

describe('cpu runtime BatchMatMul (albertjs GEMM)', () => {
  const cases: [number[], number[], boolean, boolean, number[]][] = [
    // a shape, b shape, transposeA, transposeB, expected output shape
    [[5, 7], [7, 3], false, false, [5, 3]],
    [[130, 300], [300, 600], false, false, [130, 600]], // crosses every block edge, 2 leftover rows
    [[300, 130], [300, 600], true, false, [130, 600]],
    [[130, 300], [600, 300], false, true, [130, 600]],
    [[300, 9], [11, 300], true, true, [9, 11]],
    [[2, 3, 6, 5], [2, 3, 5, 4], false, false, [2, 3, 6, 4]], // attention's [B, heads, S, d] batches
    [[2, 3, 6, 5], [2, 3, 4, 5], false, true, [2, 3, 6, 4]],
    [[2, 3, 5, 6], [2, 3, 5, 4], true, false, [2, 3, 6, 4]],
    [[4, 6, 5], [5, 7], false, false, [4, 6, 7]], // b broadcast over a's batch
    [[6, 5], [3, 5, 7], false, false, [3, 6, 7]], // a broadcast over b's batch
    [[1, 1], [1, 1], false, false, [1, 1]],
    [[4096, 1024], [1024, 4], false, false, [4096, 4]], // packed operands over the reused buffer's 16 MB
  ];
  it.each(cases)(
    '%j × %j (transposeA %s, transposeB %s) = %j, exact to one float32 rounding',
    async (as, bs, ta, tb, outShape) => {
      await createBackend({ runtime: 'cpu' });
      const a = random(as, 1);
      const b = random(bs, 2);
      const got = tf.tidy(() => tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), ta, tb));
      expect(got.shape).toEqual(outShape);
      expect(got.dtype).toBe('float32');
      const want = reference(a, as, b, bs, ta, tb);
      const data = got.dataSync();
      const K = ta ? as[as.length - 2]! : as[as.length - 1]!;
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(data[i]! - want[i]!));
      expect(worst).toBeLessThan(4e-7 * K); // float32 accumulation over K terms of magnitude ≤ 1
      got.dispose();
    },
  );

  it('is the kernel the cpu runtime registers, leaves other dtypes and bad shapes to tfjs', async () => {
    const b = await createBackend({ runtime: 'cpu' });
    expect(b.runtime.detail).toContain('albertjs float32 GEMM');
    const ints = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32')),
    );
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([19, 22, 43, 50]);
    ints.dispose();
    expect(() => tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 5])))).toThrow(/inner shapes \(3\) and \(4\)/);
  });

  it('differentiates through tfjs (matMul gradients are matMuls)', async () => {
    await createBackend({ runtime: 'cpu' });
    const a = tf.tensor(random([6, 5], 3), [6, 5]);
    const b = tf.tensor(random([5, 4], 4), [5, 4]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, b]);
    // d/da sum(a·b) = 1·bᵀ: each row of ga is b's row sums; d/db = aᵀ·1: each column of gb is a's column sums.
    const bRows = tf.sum(b, 1).dataSync();
    const aCols = tf.sum(a, 0).dataSync();
    const gaData = ga!.dataSync();
    const gbData = gb!.dataSync();
    for (let i = 0; i < 6; i++) for (let k = 0; k < 5; k++) expect(gaData[i * 5 + k]).toBeCloseTo(bRows[k]!, 5);
    for (let k = 0; k < 5; k++) for (let j = 0; j < 4; j++) expect(gbData[k * 4 + j]).toBeCloseTo(aCols[k]!, 5);
    tf.dispose([a, b, ga!, gb!]);
  });
});
