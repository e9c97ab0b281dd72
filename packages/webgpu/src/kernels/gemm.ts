// Y[M, N] = act(X[M, K] · W[N, K]ᵀ + bias[N]): nn.Linear with the weight in PyTorch's [out, in]
// layout, fused bias and activation. Two programs: `tiled` (GPUs) stages 64×64×16 tiles in workgroup
// memory, 4×4 outputs per thread; `register` (CPU adapters such as SwiftShader, where workgroup
// barriers are expensive: ~7× faster there) computes a 4×4 block per thread straight from the buffers.
// `lda` (row stride of X) lets the pooler read the [CLS] rows of [B, S, H] without a gather.
import { type HiddenAct, InputError, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import type { Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { activationWgsl } from '../runtime/wgsl.js';

export type Activation = HiddenAct | 'none';

const TILE = 64;

export type GemmVariant = 'tiled' | 'register';

/** `f16` weights (shader-f16): converted to f32 as they are read; accumulation stays f32. */
function program(variant: GemmVariant, act: Activation, weights: 'f32' | 'f16'): ProgramInfo {
  return variant === 'tiled' ? tiledProgram(act, weights) : registerProgram(act, weights);
}

/** What both programs share: the optional f16 extension, the bindings (X, W, Bias, Y, uniforms) and `act`. */
function gemmHeader(act: Activation, weights: 'f32' | 'f16'): string {
  return /* wgsl */ `${weights === 'f16' ? 'enable f16;\n' : ''}
struct U { M: u32, N: u32, K: u32, lda: u32, xOffset: u32 }
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> W: array<${weights}>;
@group(0) @binding(2) var<storage, read> Bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<uniform> u: U;
${activationWgsl(act)}
`;
}

function registerProgram(act: Activation, weights: 'f32' | 'f16'): ProgramInfo {
  return {
    key: `gemm|register|${act}|w${weights}`,
    source: () => /* wgsl */ `${gemmHeader(act, weights)}
@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n0 = (wid.x * 8u + lid.x) * 4u;
  let m0 = (wid.y * 8u + lid.y) * 4u;
  if (m0 >= u.M || n0 >= u.N) { return; }
  // Rows past the edge are clamped (computed, never stored).
  let mr = vec4u(m0, min(m0 + 1u, u.M - 1u), min(m0 + 2u, u.M - 1u), min(m0 + 3u, u.M - 1u)) * u.lda + u.xOffset;
  let nr = vec4u(n0, min(n0 + 1u, u.N - 1u), min(n0 + 2u, u.N - 1u), min(n0 + 3u, u.N - 1u)) * u.K;
  var c0 = vec4f(0.0);
  var c1 = vec4f(0.0);
  var c2 = vec4f(0.0);
  var c3 = vec4f(0.0);
  for (var k = 0u; k < u.K; k = k + 1u) {
    let b = vec4f(f32(W[nr.x + k]), f32(W[nr.y + k]), f32(W[nr.z + k]), f32(W[nr.w + k]));
    c0 = fma(vec4f(X[mr.x + k]), b, c0);
    c1 = fma(vec4f(X[mr.y + k]), b, c1);
    c2 = fma(vec4f(X[mr.z + k]), b, c2);
    c3 = fma(vec4f(X[mr.w + k]), b, c3);
  }
  let rows = array<vec4f, 4>(c0, c1, c2, c3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + i;
    if (m >= u.M) { break; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = n0 + j;
      if (n < u.N) { Y[m * u.N + n] = act(rows[i][j] + Bias[n]); }
    }
  }
}
`,
  };
}

function tiledProgram(act: Activation, weights: 'f32' | 'f16'): ProgramInfo {
  return {
    key: `gemm|tiled|${act}|w${weights}`,
    source: () => /* wgsl */ `${gemmHeader(act, weights)}
var<workgroup> As: array<f32, 1024>; // [16 k][64 m]
var<workgroup> Bs: array<f32, 1024>; // [16 k][64 n]
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let m0 = wid.y * 64u;
  let n0 = wid.x * 64u;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < u.K; k0 = k0 + 16u) {
    for (var i = 0u; i < 4u; i = i + 1u) {
      let e = li + i * 256u;
      let r = e / 16u;
      let c = e % 16u;
      let gk = k0 + c;
      var a = 0.0;
      if (m0 + r < u.M && gk < u.K) { a = X[u.xOffset + (m0 + r) * u.lda + gk]; }
      As[c * 64u + r] = a;
      var b = 0.0;
      if (n0 + r < u.N && gk < u.K) { b = f32(W[(n0 + r) * u.K + gk]); }
      Bs[c * 64u + r] = b;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      var a4: array<f32, 4>;
      var b4: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) {
        a4[i] = As[kk * 64u + lid.y * 4u + i];
        b4[i] = Bs[kk * 64u + lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i = i + 1u) {
        for (var j = 0u; j < 4u; j = j + 1u) {
          acc[i * 4u + j] = fma(a4[i], b4[j], acc[i * 4u + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let m = m0 + lid.y * 4u + i;
    if (m >= u.M) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let n = n0 + lid.x * 4u + j;
      if (n < u.N) { Y[m * u.N + n] = act(acc[i * 4u + j] + Bias[n]); }
    }
  }
}
`,
  };
}

export interface GemmArgs {
  /** [M, K] rows (row stride `lda`, default K, starting at element `xOffset`). */
  x: GpuTensor;
  /** [N, K] (nn.Linear weight), f32 or f16. */
  w: GpuTensor;
  /** [N] */
  bias: GpuTensor;
  M: number;
  act?: Activation;
  lda?: number;
  xOffset?: number;
  /** Output name for limit errors. */
  what?: string;
}

export function validateGemm(a: GemmArgs): { M: number; N: number; K: number; lda: number } {
  if (a.w.shape.length !== 2) throw new InputError(`gemm: weight must be 2-D [N, K], got ${shapeStr(a.w.shape)}`);
  const [N, K] = a.w.shape as [number, number];
  if (a.bias.shape.length !== 1 || a.bias.shape[0] !== N)
    throw new InputError(`gemm: bias must be [${N}], got ${shapeStr(a.bias.shape)}`);
  const lda = a.lda ?? K;
  if (lda < K) throw new InputError(`gemm: row stride lda = ${lda} is smaller than K = ${K}`);
  const xOffset = a.xOffset ?? 0;
  const need = a.M === 0 ? 0 : xOffset + (a.M - 1) * lda + K;
  const have = a.x.shape.reduce((p, d) => p * d, 1);
  if (need > have)
    throw new InputError(
      `gemm: input ${shapeStr(a.x.shape)} has ${have} elements, ${a.M} rows of K = ${K} with stride ${lda} need ${need}`,
    );
  return { M: a.M, N, K, lda };
}

/** Records the GEMM and returns Y [M, N] (a pooled intermediate). */
export function gemm(rec: Recorder, a: GemmArgs): GpuTensor {
  const { M, N, K, lda } = validateGemm(a);
  const y = rec.alloc([M, N], a.what ?? 'linear output');
  if (a.w.dtype === 'i32') throw new InputError('gemm: weight must be f32 or f16, got i32');
  const variant = rec.rt.gemmVariant;
  const tile = variant === 'tiled' ? TILE : 32; // register: 8×8 threads × 4×4 outputs
  rec.dispatch(
    program(variant, a.act ?? 'none', a.w.dtype),
    [a.x.buffer, a.w.buffer, a.bias.buffer, y.buffer],
    [M, N, K, lda, a.xOffset ?? 0],
    [Math.ceil(N / tile), Math.ceil(M / tile)],
  );
  return y;
}
