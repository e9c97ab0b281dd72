// The committed WebAssembly kernels are what their .wat sources assemble to (wabt): editing adamw.wat without
// `pnpm --filter @albertjs/onnx build:wasm` fails here. The kernel's numbers are checked in adamw.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedModule, KERNELS } from '../scripts/wasm-kernels.js';

describe('WebAssembly kernels', () => {
  for (const k of KERNELS)
    it(`src/train/wasm/${k.replace(/\.wat$/, '-wasm.ts')} is assembled from ${k}`, async () => {
      const { path, text } = await generatedModule(k);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });
});
