// Shared by the kernel tests: a seeded generator, one-shot kernel runs and float64 CPU references.
import { mulberry32 } from '@albertjs/core';
import { Recorder } from '../src/runtime/recorder.js';
import type { Runtime } from '../src/runtime/runtime.js';
import type { GpuTensor } from '../src/runtime/tensor.js';

/** mulberry32 (core's): deterministic floats in [-scale, scale). */
export function rand(n: number, seed: number, scale = 1): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}

/** Uploads `inputs`, records `body` with them, reads back its result. */
export async function runKernel(
  rt: Runtime,
  inputs: { data: Float32Array | Int32Array; shape: number[] }[],
  body: (rec: Recorder, t: GpuTensor[]) => GpuTensor,
): Promise<Float32Array> {
  const rec = new Recorder(rt);
  const ts = inputs.map((x, i) => rec.upload(x.data, x.shape, `input ${i}`));
  const out = body(rec, ts);
  const get = rec.read(out);
  await rec.run();
  return get();
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

/** Reference attention in float64: q, k, v [B, S, heads·D] packed as one [B·S, 3H] row each; mask [B, S] of 0/1. */
export function referenceAttention(
  qkv: Float32Array,
  mask: Int32Array,
  B: number,
  S: number,
  heads: number,
  D: number,
  headMask?: Float32Array,
): { ctx: Float64Array; probs: Float64Array } {
  const H = heads * D;
  const ctx = new Float64Array(B * S * H);
  const probs = new Float64Array(B * heads * S * S);
  const scale = 1 / Math.sqrt(D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < S; i++) {
        const row = new Float64Array(S);
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < S; j++) {
          let s = 0;
          for (let d = 0; d < D; d++)
            s += qkv[(b * S + i) * 3 * H + h * D + d]! * qkv[(b * S + j) * 3 * H + H + h * D + d]!;
          s = s * scale + (mask[b * S + j] ? 0 : -3.4028234663852886e38);
          row[j] = s;
          max = Math.max(max, s);
        }
        let z = 0;
        for (let j = 0; j < S; j++) z += row[j] = Math.exp(row[j]! - max);
        const f = headMask ? headMask[h]! : 1;
        for (let j = 0; j < S; j++) probs[((b * heads + h) * S + i) * S + j] = (row[j]! / z) * f;
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let j = 0; j < S; j++)
            s += probs[((b * heads + h) * S + i) * S + j]! * qkv[(b * S + j) * 3 * H + 2 * H + h * D + d]!;
          ctx[(b * S + i) * H + h * D + d] = s;
        }
      }
  return { ctx, probs };
}

/** A [B, S] 0/1 mask with the last `pad[b]` positions of row b masked. */
export function paddingMask(B: number, S: number, pad: number[]): Int32Array {
  const m = new Int32Array(B * S).fill(1);
  for (let b = 0; b < B; b++) for (let j = S - (pad[b] ?? 0); j < S; j++) m[b * S + j] = 0;
  return m;
}

export function additive(mask: Int32Array): Float32Array {
  return Float32Array.from(mask, (v) => (v ? 0 : -3.4028234663852886e38));
}
