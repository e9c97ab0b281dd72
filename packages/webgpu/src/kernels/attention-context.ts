// Eager attention, step 2: context[b, i, h·D + d] = Σ_j probs[b, h, i, j] · v[b, j, h, d], written with
// the heads already merged back to [B, S, H] (HF: `attn_output.transpose(1, 2).reshape(..., H)`).
import { InputError, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import { grid, type Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { LINEAR_GROUP } from '../runtime/wgsl.js';

const THREADS = 64;

const PROGRAM: ProgramInfo = {
  key: 'attention_context|f32',
  source: () => /* wgsl */ `
struct U { total: u32, S: u32, heads: u32, D: u32, H: u32 }
@group(0) @binding(0) var<storage, read> P: array<f32>;    // [B, heads, S, S]
@group(0) @binding(1) var<storage, read> QKV: array<f32>;  // [B, S, 3H]
@group(0) @binding(2) var<storage, read_write> Ctx: array<f32>; // [B, S, H]
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let e = (${LINEAR_GROUP}) * ${THREADS}u + lid;
  if (e >= u.total) { return; }
  let c = e % u.H;          // h·D + d
  let bi = e / u.H;         // b·S + i
  let b = bi / u.S;
  let i = bi % u.S;
  let h = c / u.D;
  let prow = ((b * u.heads + h) * u.S + i) * u.S;
  let ld = 3u * u.H;
  let v = b * u.S * ld + 2u * u.H + c;
  var s = 0.0;
  for (var j = 0u; j < u.S; j = j + 1u) { s = fma(P[prow + j], QKV[v + j * ld], s); }
  Ctx[e] = s;
}
`,
};

export interface AttentionContextArgs {
  /** [B, heads, S, S] */
  probs: GpuTensor;
  /** [B·S, 3H] */
  qkv: GpuTensor;
  batch: number;
  seq: number;
  heads: number;
}

/** Returns [B·S, H]. */
export function attentionContext(rec: Recorder, a: AttentionContextArgs): GpuTensor {
  const { batch: B, seq: S, heads } = a;
  const p = a.probs.shape;
  if (p.length !== 4 || p[0] !== B || p[1] !== heads || p[2] !== S || p[3] !== S) {
    throw new InputError(`attention_context: probs must be [${B}, ${heads}, ${S}, ${S}], got ${shapeStr(p)}`);
  }
  if (a.qkv.shape[0] !== B * S || a.qkv.shape[1]! % (3 * heads) !== 0)
    throw new InputError(`attention_context: qkv must be [${B * S}, 3·H], got ${shapeStr(a.qkv.shape)}`);
  const H = a.qkv.shape[1]! / 3;
  const total = B * S * H;
  const out = rec.alloc([B * S, H], 'attention context');
  rec.dispatch(
    PROGRAM,
    [a.probs.buffer, a.qkv.buffer, out.buffer],
    [total, S, heads, H / heads, H],
    grid(Math.ceil(total / THREADS)),
  );
  return out;
}
