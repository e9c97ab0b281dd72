// How @albertjs/onnx imports onnxruntime in browsers (package.json `imports` → `#ort-import` under the
// `browser` condition): onnxruntime-web through a literal import that bundlers (Vite, webpack, esbuild)
// follow and bundle; onnxruntime-node is never referenced, so browser bundles do not try to resolve it.
import type { Runtime } from './runtime-name.js';

export function importRuntime(runtime: Runtime): Promise<unknown> {
  if (runtime === 'node')
    return Promise.reject(new Error('onnxruntime-node runs only in Node.js; in a browser use runtime "web"'));
  return import('onnxruntime-web');
}
