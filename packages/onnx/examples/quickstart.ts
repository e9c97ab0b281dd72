// Load a transformers model folder (config.json + model.safetensors), run it on onnxruntime, export
// it to .onnx and run the exported file.
// Usage: npx tsx packages/onnx/examples/quickstart.ts <model-folder> [out.onnx]
//   e.g. packages/parity-tests/fixtures/hf/models/tiny/AlbertForMaskedLM
import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { createBackend, exportOnnx, loadOnnxModel } from '@albertjs/onnx';

const [dir, out = 'albert.onnx'] = process.argv.slice(2);
if (!dir) throw new Error('usage: quickstart.ts <model-folder> [out.onnx]');

const { config, tensors } = await readCheckpointDir(dir);
const { weights } = bindWeights('AlbertForMaskedLM', config, tensors);

// 1. In-process: the graph is built in TypeScript and opened by onnxruntime-node.
const backend = await createBackend({ flavour: 'optimized', intraOpNumThreads: 2 });
const model = await backend.loadModel('AlbertForMaskedLM', config, weights, { dtype: 'float32' });
const input_ids = [[2, 48, 15, 4, 3]];
const res = await model.forward({ input_ids, labels: [[-100, 48, -100, -100, -100]] }, { outputHiddenStates: true });
console.log(await backend.describe());
console.log('logits', res.logits.shape, 'loss', res.loss?.data[0], 'hidden states', res.hidden_states?.length);

// 2. A standalone file (standard opset-17 graph: runs in any onnxruntime, transformers.js included).
const exp = await exportOnnx('AlbertForMaskedLM', config, weights, { flavour: 'standard', dtype: 'int8', path: out });
console.log(
  `wrote ${exp.files.join(', ')}: ${exp.model.byteLength} bytes (fp32 parameters: ${exp.parameterBytes} bytes)`,
);
const file = await loadOnnxModel(out);
const again = await file.forward({ input_ids });
console.log('exported int8 logits', again.logits!.shape);
model.dispose();
file.dispose();
