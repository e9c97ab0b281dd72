import { createBackend } from './src/index.js';
import { Recorder } from './src/runtime/recorder.js';
import { layerNorm } from './src/kernels/layer-norm.js';
import { embedding } from './src/kernels/embedding.js';
import { flashAttention } from './src/kernels/flash-attention.js';
const be = await createBackend();
const rt = be.runtime;
const which = process.argv[2];
const rec = new Recorder(rt);
let y;
if (which === 'ln') {
  const x = rec.upload(new Float32Array([1,2,3,4,5,6]), [2,3], 'x');
  const g = rec.upload(new Float32Array([1,1,1]), [3], 'g');
  const b = rec.upload(new Float32Array([0,0,0]), [3], 'b');
  y = layerNorm(rec, { x, residual: x, gamma: g, beta: b, eps: 1e-5 });
} else if (which === 'emb') {
  const ids = rec.upload(new Int32Array([1,0,0,1,1,0]), [3,2], 'ids');
  const w = rec.upload(new Float32Array([1,2,3,4,5,6]), [2,3], 'w');
  const g = rec.upload(new Float32Array([1,1,1]), [3], 'g');
  const b = rec.upload(new Float32Array([0,0,0]), [3], 'b');
  y = embedding(rec, { indices: ids, word: w, tokenType: w, position: w, gamma: g, beta: b, eps: 1e-5 });
} else {
  const qkv = rec.upload(new Float32Array(2*3*8).map((_, i) => Math.sin(i)), [2, 24], 'qkv');
  const mask = rec.upload(new Float32Array(2), [1,2], 'mask');
  y = flashAttention(rec, { qkv, mask, batch: 1, seq: 2, heads: 2 });
}
console.log('recorded');
const r = rec.read(y);
await rec.run();
console.log(r());
process.exit(0);
