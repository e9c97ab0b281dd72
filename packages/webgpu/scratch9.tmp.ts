import { createBackend } from './src/index.js';
import { gemm } from './src/kernels/gemm.js';
import { Recorder } from './src/runtime/recorder.js';

const be = await createBackend();
const dev = be.device;
const [M, N, K] = [128, 768, 768];
const mk = (n: number, usage = 0x80 | 0x8 | 0x4) => dev.createBuffer({ size: n * 4, usage });
const X = mk(M * K),
  W = mk(N * K),
  Bb = mk(N),
  Y = mk(M * N),
  U = dev.createBuffer({ size: 32, usage: 0x40 | 0x8 });
dev.queue.writeBuffer(U, 0, new Uint32Array([M, N, K, K, 0, 0, 0, 0]));
const reg = `
struct U { M: u32, N: u32, K: u32, lda: u32, xOffset: u32 }
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> Bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
@group(0) @binding(4) var<uniform> u: U;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n0 = gid.x * 4u;
  let m0 = gid.y * 4u;
  if (m0 >= u.M || n0 >= u.N) { return; }
  let mr = vec4u(min(m0, u.M - 1u), min(m0 + 1u, u.M - 1u), min(m0 + 2u, u.M - 1u), min(m0 + 3u, u.M - 1u)) * u.lda + u.xOffset;
  let nr = vec4u(min(n0, u.N - 1u), min(n0 + 1u, u.N - 1u), min(n0 + 2u, u.N - 1u), min(n0 + 3u, u.N - 1u)) * u.K;
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  for (var k = 0u; k < u.K; k = k + 1u) {
    let b = vec4f(W[nr.x + k], W[nr.y + k], W[nr.z + k], W[nr.w + k]);
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
      if (n < u.N) { Y[m * u.N + n] = rows[i][j] + Bias[n]; }
    }
  }
}`;
const p = dev.createComputePipeline({
  layout: 'auto',
  compute: { module: dev.createShaderModule({ code: reg }), entryPoint: 'main' },
});
const bg = dev.createBindGroup({
  layout: p.getBindGroupLayout(0),
  entries: [X, W, Bb, Y, U].map((buffer, binding) => ({ binding, resource: { buffer } })),
});
for (let rep = 0; rep < 2; rep++) {
  const t = performance.now();
  const enc = dev.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(p);
  pass.setBindGroup(0, bg);
  pass.dispatchWorkgroups(Math.ceil(N / 32), Math.ceil(M / 32));
  pass.end();
  dev.queue.submit([enc.finish()]);
  await dev.queue.onSubmittedWorkDone();
  console.log('reg', (performance.now() - t).toFixed(1), 'ms');
}
for (let rep = 0; rep < 3; rep++) {
  const rec = new Recorder(be.runtime);
  const x = { buffer: X, shape: [M, K], dtype: 'f32' as const };
  const w = { buffer: W, shape: [N, K], dtype: 'f32' as const };
  const b = { buffer: Bb, shape: [N], dtype: 'f32' as const };
  const t = performance.now();
  const y = gemm(rec, { x, w, bias: b, M });
  const g = rec.read(y);
  await rec.run();
  g();
  console.log('tiled', (performance.now() - t).toFixed(1), 'ms');
}
process.exit(0);
