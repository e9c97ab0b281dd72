import { createBackend } from './src/index.js';
const be = await createBackend();
const dev = be.device;
const mods = ['layer-norm','embedding','softmax','attention-scores','attention-context','flash-attention'];
for (const m of mods) {
  const src = await import(`./src/kernels/${m}.ts`);
  console.log(m, Object.keys(src));
}
// compile via a recorder path is complex; instead grab program builders by monkeypatching
const pc = be.runtime.programs as any;
const orig = pc.get.bind(pc);
pc.get = (info: any) => { console.log('compiling', info.key); dev.pushErrorScope('validation'); const p = orig(info); dev.popErrorScope().then((e: any) => e && console.log('ERR', info.key, e.message)); return p; };
import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { listCases, pick } from '../parity-tests/src/index.js';
const c = listCases().find(c => c.id === 'tiny__AlbertModel__nomask')!;
const { config, tensors } = await readCheckpointDir(c.modelPath);
const { weights } = bindWeights(c.modelClass, config, tensors);
const mdl = await be.loadModel(c.modelClass, config, weights, {});
const inputs: any = Object.fromEntries(pick(c.load(), 'in.'));
try { await mdl.forward(inputs); } catch (e) { console.log('E', e); }
console.log('done');
process.exit(0);
