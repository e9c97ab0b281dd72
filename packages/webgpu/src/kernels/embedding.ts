// AlbertEmbeddings: word (or inputs_embeds) + token_type + position embeddings, then LayerNorm,
// fused: one workgroup gathers and normalizes one token.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L67-L107 (AlbertEmbeddings.forward)
import { InputError, shapeStr } from '@albertjs/core';
import type { ProgramInfo } from '../runtime/program-cache.js';
import { grid, type Recorder } from '../runtime/recorder.js';
import type { GpuTensor } from '../runtime/tensor.js';
import { LINEAR_GROUP, reduceSumWgsl } from '../runtime/wgsl.js';

const THREADS = 64;

function program(fromEmbeds: boolean): ProgramInfo {
  return {
    key: `embedding|${fromEmbeds ? 'inputs_embeds' : 'input_ids'}|f32`,
    source: () => /* wgsl */ `
struct U { tokens: u32, E: u32, eps: f32 }
@group(0) @binding(0) var<storage, read> Idx: array<i32>; // [3, T]: input ids (unused with inputs_embeds), token types, positions
@group(0) @binding(1) var<storage, read> Word: array<f32>;
@group(0) @binding(2) var<storage, read> TypeEmb: array<f32>;
@group(0) @binding(3) var<storage, read> PosEmb: array<f32>;
@group(0) @binding(4) var<storage, read> G: array<f32>;
@group(0) @binding(5) var<storage, read> Bt: array<f32>;
@group(0) @binding(6) var<storage, read_write> Y: array<f32>;
@group(0) @binding(7) var<uniform> u: U;
${reduceSumWgsl(THREADS)}
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let t = ${LINEAR_GROUP};
  if (t >= u.tokens) { return; }
  // inputs_embeds mode reads Word as [tokens, E]; ids mode gathers row Idx[t] of [vocab, E].
  let wrow = ${fromEmbeds ? 't' : 'u32(Idx[t])'} * u.E;
  let trow = u32(Idx[u.tokens + t]) * u.E;
  let prow = u32(Idx[2u * u.tokens + t]) * u.E;
  let base = t * u.E;
  var s = 0.0;
  for (var i = lid; i < u.E; i = i + ${THREADS}u) {
    let v = (Word[wrow + i] + TypeEmb[trow + i]) + PosEmb[prow + i];
    Y[base + i] = v;
    s = s + v;
  }
  let mean = reduce_sum(s, lid) / f32(u.E);
  var q = 0.0;
  for (var i = lid; i < u.E; i = i + ${THREADS}u) { let d = Y[base + i] - mean; q = q + d * d; }
  let rstd = inverseSqrt(reduce_sum(q, lid) / f32(u.E) + u.eps);
  for (var i = lid; i < u.E; i = i + ${THREADS}u) {
    Y[base + i] = (Y[base + i] - mean) * rstd * G[i] + Bt[i];
  }
}
`,
  };
}

export interface EmbeddingArgs {
  /** [3, T] i32: input ids (ignored with `inputsEmbeds`), token type ids, position ids. */
  indices: GpuTensor;
  /** [T, E] f32 (instead of ids). */
  inputsEmbeds?: GpuTensor;
  word: GpuTensor;
  tokenType: GpuTensor;
  position: GpuTensor;
  gamma: GpuTensor;
  beta: GpuTensor;
  eps: number;
}

/** Returns [T, E]. Id ranges are checked on the CPU by the caller (model/embeddings.ts). */
export function embedding(rec: Recorder, a: EmbeddingArgs): GpuTensor {
  const E = a.word.shape[1]!;
  if (a.indices.shape.length !== 2 || a.indices.shape[0] !== 3 || a.indices.dtype !== 'i32') {
    throw new InputError(
      `embedding: indices must be i32 [3, tokens] (ids, token types, positions), got ${a.indices.dtype} ${shapeStr(a.indices.shape)}`,
    );
  }
  const T = a.indices.shape[1]!;
  const src = a.inputsEmbeds ?? a.word;
  if (a.inputsEmbeds && a.inputsEmbeds.shape.reduce((p, d) => p * d, 1) !== T * E) {
    throw new InputError(
      `embedding: inputs_embeds ${shapeStr(a.inputsEmbeds.shape)} must hold ${T} tokens × embedding_size ${E}`,
    );
  }
  const y = rec.alloc([T, E], 'embeddings');
  rec.dispatch(
    program(!!a.inputsEmbeds),
    [a.indices.buffer, src.buffer, a.tokenType.buffer, a.position.buffer, a.gamma.buffer, a.beta.buffer, y.buffer],
    [T, E, { f32: a.eps }],
    grid(T),
  );
  return y;
}
