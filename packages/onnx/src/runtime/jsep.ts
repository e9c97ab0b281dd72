// onnxruntime-web's default build (`onnxruntime-web`, 1.30) runs its webgpu execution provider through JSEP,
// whose host-to-GPU copies (GpuDataManager.upload → GPUQueue.writeBuffer) reach the GPU before the kernels
// already recorded but not yet submitted (up to 16 per command buffer). When onnxruntime's allocation planner
// hands such a copy a buffer that a recorded kernel still has to read, that kernel reads the copy instead.
// Training graphs copy host values mid-run (int64 ids shared by CPU and GPU nodes, ConstantOfShape zeros,
// Unsqueeze'd indices, the loss seed), and gradients come out wrong (README "Training in the browser").
// `onnxruntime-web/webgpu` (onnxruntime's native WebGPU EP) records its copies in order and is exact.
import { BackendError } from '@albertjs/core';
import { loadOrt, type OrtModule, type Runtime } from './ort.js';

/** Whether sessions of `ort` with these execution providers run onnxruntime-web's default build's webgpu EP (JSEP). */
export async function isJsepWebgpu(
  runtime: Runtime,
  ort: OrtModule | undefined,
  executionProviders: readonly string[] | undefined,
): Promise<boolean> {
  if (runtime !== 'web' || !executionProviders?.includes('webgpu')) return false;
  if (ort === undefined) return true;
  const byDefault = await loadOrt('web').catch(() => undefined);
  return ort === byDefault;
}

/** The BackendError for training graphs on JSEP's webgpu EP. */
export function jsepTrainingError(executionProviders: readonly string[]): BackendError {
  return new BackendError(
    `training graphs (gradients(), training) on executionProviders [${executionProviders.join(', ')}] with onnxruntime-web's default build: its webgpu EP (JSEP) can compute wrong gradients (host-to-GPU copies overtake queued kernels); pass ort: await import('onnxruntime-web/webgpu') to createBackend (onnxruntime's native WebGPU EP), or use the wasm EP`,
  );
}
