// Replacing one backend's kernel with albertjs' own (tf.registerKernel over the original), once per
// process: the kernel is marked, so a second call is a no-op. Like any tfjs kernel registration this is
// process-wide: every tfjs user of that backend in the process gets the replacement.
import { tf } from '../tf.js';

const MARK = 'albertjsOverride';

/** Registers `make(original)` as `kernelName` on `backendName`; false when that backend has no such kernel. */
export function overrideKernel(
  kernelName: string,
  backendName: string,
  make: (original: tf.KernelFunc) => tf.KernelFunc,
): boolean {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) return false;
  if ((kernel as unknown as Record<string, unknown>)[MARK]) return true;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc: make(kernel.kernelFunc), [MARK]: true } as tf.KernelConfig);
  return true;
}
