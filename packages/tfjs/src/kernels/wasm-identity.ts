// Identity for the wasm runtime, sharing its input's buffer instead of copying it.
//
// tfjs-backend-wasm's Identity kernel copies its input; tfjs' gradient tape keeps every tensor a
// backward pass needs through Identity (engine.clone), so on wasm the tape held a full copy of each saved
// activation and, for a shared ALBERT layer, of its weights once per layer application (≈ 0.3 GB of a
// 1×128 albert-base step). tfjs tensors are immutable, so the output may share the input's buffer, as
// the cpu backend's Identity and the wasm backend's own Reshape do (reference counted).
import type { tf } from '../tf.js';
import { overrideKernel } from './override.js';

export function shareIdentityOnWasm(): void {
  overrideKernel('Identity', 'wasm', (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as unknown as { incRef(id: unknown): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
