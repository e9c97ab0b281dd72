// createBackend(): the @albertjs/core Backend for TensorFlow.js.
import type { AlbertConfig, Backend, HeadName, LoadModelOptions, WeightMap } from '@albertjs/core';
import { BackendError } from '@albertjs/core';
import { TfjsAlbertModel } from './model.js';
import { activate, type RuntimeInfo, type RuntimeOptions, selectRuntime } from './runtime.js';

export interface TfjsBackendOptions extends RuntimeOptions {}

export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  constructor(readonly runtime: RuntimeInfo) {}

  async describe(): Promise<string> {
    const skipped = this.runtime.skipped.map((s) => `${s.runtime}: ${s.reason}`).join('; ');
    return `tfjs-${this.runtime.runtime}: ${this.runtime.detail}${skipped ? ` [skipped ${skipped}]` : ''}`;
  }

  async loadModel<H extends HeadName>(
    head: H,
    config: AlbertConfig,
    weights: WeightMap,
    options: LoadModelOptions = {},
  ): Promise<TfjsAlbertModel<H>> {
    if (options.dtype && options.dtype !== 'float32')
      throw new BackendError(`@albertjs/tfjs runs float32 only, got dtype ${JSON.stringify(options.dtype)}`);
    await activate(this.runtime.tfBackend);
    return new TfjsAlbertModel(head, config, weights, this.runtime.tfBackend, options.attnImplementation ?? 'sdpa');
  }
}

/**
 * Starts TensorFlow.js on the best runtime available (tfjs-node-gpu, tfjs-node, wasm, cpu) or the
 * one forced with `runtime`; `(await backend.describe())` says which ran and why others were skipped.
 */
export async function createBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  return new TfjsBackend(await selectRuntime(options));
}
