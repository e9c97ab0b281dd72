// Fused scaled-dot-product attention for `sdpa`: each thread owns one query row, key/value blocks
// stream through workgroup memory and an online softmax (running max + rescaled sum, as in
// FlashAttention) accumulates the context, so [B, heads, S, S] is never materialized.
// HF: sdpa_attention_forward → torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask, scale=head_dim^-0.5).
import { FLOAT32_MIN, InputError } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { validateQkv } from './attention-scores.js';

const ROWS = 64;
/** Head dims are compiled into buckets (register arrays need a constant size); larger ones are refused. */
export const HEAD_DIM_BUCKETS = [32, 64, 128, 256] as const;

function program(maxD: number): ProgramInfo {
  const BC = Math.max(4, 1024 / maxD);
  return {
    key: `flash_attention|d${maxD}|f32`,
    source: () => /* wgsl */ `
struct U { S: u32, heads: u32, D: u32, H: u32, scale: f32 }
@group(0) @binding(0) var<storage, read> QKV: array<f32>;  // [B, S, 3H]
@group(0) @binding(1) var<storage, read> Mask: array<f32>; // [B, S] additive
@group(0) @binding(2) var<storage, read_write> Ctx: array<f32>; // [B, S, H]
@group(0) @binding(3) var<uniform> u: U;
const MAXD = ${maxD}u;
const BC = ${BC}u;
var<workgroup> Ks: array<f32, ${BC * maxD}>;
var<workgroup> Vs: array<f32, ${BC * maxD}>;
var<workgroup> Ms: array<f32, ${BC}>;
@compute @workgroup_size(${ROWS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let bh = wid.y;
  let b = bh / u.heads;
  let h = bh % u.heads;
  let i = wid.x * ${ROWS}u + lid;
  let valid = i < u.S;
  let ld = 3u * u.H;
  var q: array<f32, ${maxD}>;
  var acc: array<f32, ${maxD}>;
  if (valid) {
    let qo = (b * u.S + i) * ld + h * u.D;
    for (var d = 0u; d < u.D; d = d + 1u) { q[d] = QKV[qo + d] * u.scale; }
  }
  var m = ${FLOAT32_MIN};
  var l = 0.0;
  for (var j0 = 0u; j0 < u.S; j0 = j0 + BC) {
    let nb = min(BC, u.S - j0);
    for (var e = lid; e < BC * u.D; e = e + ${ROWS}u) {
      let jj = e / u.D;
      let d = e % u.D;
      if (jj < nb) {
        let row = (b * u.S + j0 + jj) * ld + h * u.D + d;
        Ks[jj * MAXD + d] = QKV[row + u.H];
        Vs[jj * MAXD + d] = QKV[row + 2u * u.H];
      }
    }
    if (lid < nb) { Ms[lid] = Mask[b * u.S + j0 + lid]; }
    workgroupBarrier();
    if (valid) {
      var sc: array<f32, ${BC}>;
      var bm = m;
      for (var jj = 0u; jj < nb; jj = jj + 1u) {
        var s = 0.0;
        for (var d = 0u; d < u.D; d = d + 1u) { s = fma(q[d], Ks[jj * MAXD + d], s); }
        s = s + Ms[jj];
        sc[jj] = s;
        bm = max(bm, s);
      }
      let corr = exp(m - bm);
      l = l * corr;
      for (var d = 0u; d < u.D; d = d + 1u) { acc[d] = acc[d] * corr; }
      for (var jj = 0u; jj < nb; jj = jj + 1u) {
        let p = exp(sc[jj] - bm);
        l = l + p;
        for (var d = 0u; d < u.D; d = d + 1u) { acc[d] = fma(p, Vs[jj * MAXD + d], acc[d]); }
      }
      m = bm;
    }
    workgroupBarrier();
  }
  if (valid) {
    let o = (b * u.S + i) * u.H + h * u.D;
    let inv = 1.0 / l;
    for (var d = 0u; d < u.D; d = d + 1u) { Ctx[o + d] = acc[d] * inv; }
  }
}
`,
  };
}

export interface FlashAttentionArgs {
  /** [B·S, 3H] fused query | key | value projections. */
  qkv: GpuTensor;
  /** [B, S] additive mask. */
  mask: GpuTensor;
  batch: number;
  seq: number;
  heads: number;
}

/** Returns the context [B·S, H] with heads merged. */
export function flashAttention(rec: Recorder, a: FlashAttentionArgs): GpuTensor {
  const { H, D } = validateQkv(a.qkv, a.mask, a.batch, a.seq, a.heads, 'flash_attention');
  const maxD = HEAD_DIM_BUCKETS.find((x) => D <= x);
  if (maxD === undefined)
    throw new InputError(
      `flash_attention: head_dim = ${D} exceeds the largest supported ${HEAD_DIM_BUCKETS.at(-1)}; use attnImplementation 'eager'`,
    );
  const out = rec.alloc([a.batch * a.seq, H], 'attention context');
  rec.dispatch(
    program(maxD),
    [a.qkv.buffer, a.mask.buffer, out.buffer],
    [a.seq, a.heads, D, H, { f32: 1 / Math.sqrt(D) }],
    [Math.ceil(a.seq / ROWS), a.batch * a.heads],
  );
  return out;
}
