import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { createBackend } from './src/index.js';
import { listCases, pick } from '../parity-tests/src/index.js';
const be = await createBackend();
const c = listCases().find(c => c.id === (process.argv[2] ?? 'groups__AlbertForMultipleChoice__nomask'))!;
let t = performance.now();
const { config, tensors } = await readCheckpointDir(c.modelPath);
const { weights } = bindWeights(c.modelClass, config, tensors);
const m = await be.loadModel(c.modelClass, config, weights, {});
console.log('load', performance.now() - t); t = performance.now();
const inputs: any = Object.fromEntries(pick(c.load(), 'in.'));
for (let i = 0; i < 4; i++) { await m.forward(inputs); console.log('fwd', performance.now() - t); t = performance.now(); }
process.exit(0);
