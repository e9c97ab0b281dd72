import { bindWeights, readCheckpointDir, flattenOutput } from '@albertjs/core';
import { createBackend } from './src/index.js';
import { listCases, pick, compareAll } from '../parity-tests/src/index.js';
const be = await createBackend();
console.log(await be.describe());
const want = process.argv[2] ?? 'tiny__AlbertModel__nomask';
for (const c of listCases().filter(c => c.id.includes(want))) {
  const { config, tensors } = await readCheckpointDir(c.modelPath);
  const { weights } = bindWeights(c.modelClass, config, tensors);
  const m = await be.loadModel(c.modelClass, config, weights, { attnImplementation: c.attn_implementation });
  const all = c.load();
  const inputs: any = Object.fromEntries(pick(all, 'in.'));
  for (const k of Object.keys(inputs)) if (k.startsWith('cotangent')) delete inputs[k];
  console.log("loaded");
  const out = flattenOutput(await m.forward(inputs, { outputHiddenStates: c.kwargs.output_hidden_states === true, outputAttentions: c.kwargs.output_attentions === true }));
  const d = compareAll(out as any, pick(all, 'out.'));
  console.log(c.id, d.slice(0, 3));
}
process.exit(0);
