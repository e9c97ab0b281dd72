import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Every package's tests run against its TypeScript sources (no build needed):
// `@albertjs/<pkg>` resolves to `packages/<pkg>/src/index.ts` (or apps/<pkg>).
const root = fileURLToPath(new URL('.', import.meta.url));
const src = (dir: string) => `${root}${dir}/src/index.ts`;

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@albertjs\/(core|tokenizer|tfjs|onnx|webgpu|parity-tests|pipelines|bench)$/,
        replacement: `${root}packages/$1/src/index.ts`,
      },
      { find: /^@albertjs\/cli$/, replacement: src('apps/cli') },
      // @albertjs/onnx's subpath import (package.json `imports`): the Node branch, from source.
      { find: /^#ort-import$/, replacement: `${root}packages/onnx/src/runtime/import-node.ts` },
      // @albertjs/tfjs's gradient registration for Node (package.json `imports`).
      { find: /^#tf-gradients$/, replacement: `${root}packages/tfjs/generated/register-gradients.node.js` },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
