// Row softmax in place (f32, max-subtracted as torch.softmax), optionally multiplied by a per-head
// factor afterwards: attention probabilities × head_mask (eager attention only).
// HF (4.x AlbertAttention): `attention_probs = softmax(scores); attention_probs = attention_probs * head_mask`.
import { FLOAT32_MIN, InputError, numel, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import { grid, type Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { LINEAR_GROUP, reduceSumWgsl } from '../runtime/wgsl.js';

const THREADS = 64;

function program(headMask: boolean): ProgramInfo {
  return {
    key: `softmax|${headMask ? 'head_mask' : 'plain'}|f32`,
    source: () => /* wgsl */ `
struct U { rows: u32, N: u32, rowsPerHead: u32, heads: u32, hmOffset: u32 }
@group(0) @binding(0) var<storage, read_write> X: array<f32>;
${headMask ? '@group(0) @binding(1) var<storage, read> HM: array<f32>;' : ''}
@group(0) @binding(${headMask ? 2 : 1}) var<uniform> u: U;
${reduceSumWgsl(THREADS)}
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = ${LINEAR_GROUP};
  if (row >= u.rows) { return; }
  let base = row * u.N;
  var m = ${FLOAT32_MIN};
  for (var i = lid; i < u.N; i = i + ${THREADS}u) { m = max(m, X[base + i]); }
  m = reduce_max(m, lid);
  var s = 0.0;
  for (var i = lid; i < u.N; i = i + ${THREADS}u) { let p = exp(X[base + i] - m); X[base + i] = p; s = s + p; }
  let inv = 1.0 / reduce_sum(s, lid);
  ${headMask ? 'let f = inv * HM[u.hmOffset + (row / u.rowsPerHead) % u.heads];' : 'let f = inv;'}
  for (var i = lid; i < u.N; i = i + ${THREADS}u) { X[base + i] = X[base + i] * f; }
}
`,
  };
}

export interface SoftmaxArgs {
  /** [..., N], normalized in place along the last dim. */
  x: GpuTensor;
  /** Optional per-head factors: row r is scaled by headMask[hmOffset + (r / rowsPerHead) % heads]. */
  headMask?: { factors: GpuTensor; offset: number; heads: number; rowsPerHead: number };
}

export function softmax(rec: Recorder, a: SoftmaxArgs): GpuTensor {
  const N = a.x.shape[a.x.shape.length - 1]!;
  const rows = numel(a.x.shape) / N;
  const hm = a.headMask;
  if (hm && hm.offset + hm.heads > numel(hm.factors.shape)) {
    throw new InputError(
      `softmax: head mask ${shapeStr(hm.factors.shape)} has no ${hm.heads} factors at offset ${hm.offset}`,
    );
  }
  const bufs = hm ? [a.x.buffer, hm.factors.buffer] : [a.x.buffer];
  rec.dispatch(program(!!hm), bufs, [rows, N, hm?.rowsPerHead ?? 1, hm?.heads ?? 1, hm?.offset ?? 0], grid(rows));
  return a.x;
}
