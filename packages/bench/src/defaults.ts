// Backend options the harness sets unless the caller did: tfjs trains with gradient checkpointing
// (TfjsBackendOptions.gradientCheckpointing), because the seed grid's training cells (batch up to 8 ×
// seq 512, albert-base) do not fit tfjs-wasm's heap without it. The backend's description line in the
// report says "gradient checkpointing on"; `--backend-option tfjs.gradientCheckpointing=false` turns it off.
import type { BackendName } from './backends.js';
import type { BenchMode } from './grids.js';
import type { BenchOptions } from './options.js';

export function withBackendDefaults(
  options: BenchOptions,
  modes: readonly BenchMode[],
  backends: readonly BackendName[],
): BenchOptions {
  if (!modes.includes('train') || !backends.includes('tfjs')) return options;
  const tfjs = (options.backendOptions?.tfjs ?? {}) as Record<string, unknown>;
  if (tfjs.gradientCheckpointing !== undefined) return options;
  return {
    ...options,
    backendOptions: { ...options.backendOptions, tfjs: { ...tfjs, gradientCheckpointing: true } },
  };
}
