// How @albertjs/onnx imports onnxruntime outside browsers (package.json `imports` → `#ort-import`, the
// non-`browser` branch): onnxruntime-node (an optional peer dependency) or, when asked for, onnxruntime-web.
// Literal specifiers, so a bundler for Node sees both.
import type { Runtime } from './runtime-name.js';

export function importRuntime(runtime: Runtime): Promise<unknown> {
  return runtime === 'node' ? import('onnxruntime-node') : import('onnxruntime-web');
}
