// Writes src/train/wasm/<kernel>-wasm.ts from each .wat source (scripts/wasm-kernels.ts).
import { writeFileSync } from 'node:fs';
import { generatedModule, KERNELS } from './wasm-kernels.js';

for (const k of KERNELS) {
  const { path, text } = await generatedModule(k);
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
