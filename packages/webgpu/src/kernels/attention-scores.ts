// Eager attention, step 1: scores[b, h, i, j] = (q_i · k_j) · head_dim^-0.5 + mask[b, j], materialized
// as [B, heads, S, S] (needed for `attentions` outputs and head_mask).
// HF: eager_attention_forward, `torch.matmul(query, key.transpose(2, 3)) * scaling + attention_mask`.
import { InputError, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import { grid, type Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { LINEAR_GROUP } from '../runtime/wgsl.js';

const THREADS = 64;

const PROGRAM: ProgramInfo = {
  key: 'attention_scores|f32',
  source: () => /* wgsl */ `
struct U { total: u32, S: u32, heads: u32, D: u32, H: u32, scale: f32 }
@group(0) @binding(0) var<storage, read> QKV: array<f32>;   // [B, S, 3H]
@group(0) @binding(1) var<storage, read> Mask: array<f32>;  // [B, S] additive
@group(0) @binding(2) var<storage, read_write> Scores: array<f32>; // [B, heads, S, S]
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = (${LINEAR_GROUP}) * ${THREADS}u + lid;
  if (e >= u.total) { return; }
  let j = e % u.S;
  let i = (e / u.S) % u.S;
  let bh = e / (u.S * u.S);
  let b = bh / u.heads;
  let h = bh % u.heads;
  let ld = 3u * u.H;
  let q = (b * u.S + i) * ld + h * u.D;
  let k = (b * u.S + j) * ld + u.H + h * u.D;
  var s = 0.0;
  for (var d = 0u; d < u.D; d = d + 1u) { s = fma(QKV[q + d], QKV[k + d], s); }
  Scores[e] = s * u.scale + Mask[b * u.S + j];
}
`,
};

export interface AttentionScoresArgs {
  /** [B·S, 3H] fused query | key | value projections. */
  qkv: GpuTensor;
  /** [B, S] additive mask (0 or finfo(float32).min). */
  mask: GpuTensor;
  batch: number;
  seq: number;
  heads: number;
}

export function validateQkv(
  qkv: GpuTensor,
  mask: GpuTensor,
  batch: number,
  seq: number,
  heads: number,
  who: string,
): { H: number; D: number } {
  if (qkv.shape.length !== 2 || qkv.shape[0] !== batch * seq || qkv.shape[1]! % (3 * heads) !== 0) {
    throw new InputError(
      `${who}: fused qkv must be [B·S = ${batch * seq}, 3·H] with H divisible by heads = ${heads}, got ${shapeStr(qkv.shape)}`,
    );
  }
  if (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== seq) {
    throw new InputError(`${who}: mask must be [${batch}, ${seq}], got ${shapeStr(mask.shape)}`);
  }
  const H = qkv.shape[1]! / 3;
  return { H, D: H / heads };
}

/** Returns [B, heads, S, S] scores. */
export function attentionScores(rec: Recorder, a: AttentionScoresArgs): GpuTensor {
  const { H, D } = validateQkv(a.qkv, a.mask, a.batch, a.seq, a.heads, 'attention_scores');
  const total = a.batch * a.heads * a.seq * a.seq;
  const out = rec.alloc([a.batch, a.heads, a.seq, a.seq], 'attention scores');
  rec.dispatch(
    PROGRAM,
    [a.qkv.buffer, a.mask.buffer, out.buffer],
    [total, a.seq, a.heads, D, H, { f32: 1 / Math.sqrt(D) }],
    grid(Math.ceil(total / THREADS)),
  );
  return out;
}
