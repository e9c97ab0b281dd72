// out = LayerNorm(x + residual) · gamma + beta over the last dim (residual optional), one row per
// workgroup, two-pass mean / variance in f32 as torch.nn.LayerNorm.
// HF: AlbertLayer's `full_layer_layer_norm(ffn_output + attention_output)` and AlbertAttention's
// `LayerNorm(hidden_states + projected_context_layer)`, MLM head's LayerNorm (no residual).
import { InputError, numel, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import { grid, type Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { LINEAR_GROUP, reduceSumWgsl } from '../runtime/wgsl.js';

const THREADS = 128;

function program(withResidual: boolean): ProgramInfo {
  const res = withResidual;
  return {
    key: `layer_norm|${res ? 'residual' : 'plain'}|f32`,
    source: () => /* wgsl */ `
struct U { rows: u32, N: u32, eps: f32 }
@group(0) @binding(0) var<storage, read> X: array<f32>;
${res ? '@group(0) @binding(1) var<storage, read> R: array<f32>;' : ''}
@group(0) @binding(${res ? 2 : 1}) var<storage, read> G: array<f32>;
@group(0) @binding(${res ? 3 : 2}) var<storage, read> Bt: array<f32>;
@group(0) @binding(${res ? 4 : 3}) var<storage, read_write> Y: array<f32>;
@group(0) @binding(${res ? 5 : 4}) var<uniform> u: U;
${reduceSumWgsl(THREADS)}
fn val(i: u32) -> f32 { return X[i]${res ? ' + R[i]' : ''}; }
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = ${LINEAR_GROUP};
  if (row >= u.rows) { return; }
  let base = row * u.N;
  var s = 0.0;
  for (var i = lid; i < u.N; i = i + ${THREADS}u) { s = s + val(base + i); }
  let mean = reduce_sum(s, lid) / f32(u.N);
  var q = 0.0;
  for (var i = lid; i < u.N; i = i + ${THREADS}u) { let d = val(base + i) - mean; q = q + d * d; }
  let rstd = inverseSqrt(reduce_sum(q, lid) / f32(u.N) + u.eps);
  for (var i = lid; i < u.N; i = i + ${THREADS}u) {
    Y[base + i] = (val(base + i) - mean) * rstd * G[i] + Bt[i];
  }
}
`,
  };
}

export interface LayerNormArgs {
  /** [..., N] */
  x: GpuTensor;
  residual?: GpuTensor;
  gamma: GpuTensor;
  beta: GpuTensor;
  eps: number;
  what?: string;
}

export function layerNorm(rec: Recorder, a: LayerNormArgs): GpuTensor {
  const N = a.gamma.shape[0]!;
  if (a.x.shape[a.x.shape.length - 1] !== N)
    throw new InputError(`layer_norm: last dim of ${shapeStr(a.x.shape)} must equal the ${N} LayerNorm weights`);
  if (a.beta.shape[0] !== N)
    throw new InputError(`layer_norm: beta ${shapeStr(a.beta.shape)} does not match gamma [${N}]`);
  if (a.residual && numel(a.residual.shape) !== numel(a.x.shape)) {
    throw new InputError(
      `layer_norm: residual ${shapeStr(a.residual.shape)} does not match input ${shapeStr(a.x.shape)}`,
    );
  }
  const rows = numel(a.x.shape) / N;
  const y = rec.alloc(a.x.shape, a.what ?? 'layer norm output');
  const bufs = a.residual
    ? [a.x.buffer, a.residual.buffer, a.gamma.buffer, a.beta.buffer, y.buffer]
    : [a.x.buffer, a.gamma.buffer, a.beta.buffer, y.buffer];
  rec.dispatch(program(!!a.residual), bufs, [rows, N, { f32: a.eps }], grid(rows));
  return y;
}
