// createBackend(): the @albertjs/core Backend for TensorFlow.js.
import type { AlbertConfig, Backend, HeadName, LoadModelOptions, WeightMap } from '@albertjs/core';
import { BackendError, checkDType } from '@albertjs/core';
import { TfjsAlbertModel } from './handle.js';
import { activate, type RuntimeInfo, type RuntimeOptions, selectRuntime } from './runtime.js';
import { tf } from './tf.js';

export interface TfjsBackendOptions extends RuntimeOptions {
  /**
   * Load every model with gradient checkpointing on (TfjsAlbertModel.gradientCheckpointing): training
   * and gradients() recompute each layer in the backward pass instead of keeping its activations.
   */
  gradientCheckpointing?: boolean;
}

export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  readonly gradientCheckpointing: boolean;
  constructor(
    readonly runtime: RuntimeInfo,
    options: Pick<TfjsBackendOptions, 'gradientCheckpointing'> = {},
  ) {
    if (options.gradientCheckpointing !== undefined && typeof options.gradientCheckpointing !== 'boolean')
      throw new BackendError(
        `gradientCheckpointing must be true or false, got ${JSON.stringify(options.gradientCheckpointing)}`,
      );
    this.gradientCheckpointing = options.gradientCheckpointing ?? false;
  }

  async describe(): Promise<string> {
    const skipped = this.runtime.skipped.map((s) => `${s.runtime}: ${s.reason}`).join('; ');
    const ckpt = this.gradientCheckpointing ? ', gradient checkpointing on' : '';
    return `tfjs-${this.runtime.runtime}: ${this.runtime.detail}${ckpt}${skipped ? ` [skipped ${skipped}]` : ''}`;
  }

  /**
   * Memory as the cross-backend bench reads it (packages/bench's duck-typed `memory()`): the bytes of live
   * tensors (tf.memory().numBytes; buffers shared by reshapes count once per tensor) and, on wasm, the
   * WebAssembly heap: it only grows, so its size is this process's high-water mark, and it is what runs
   * out ("memory access out of bounds") when a step does not fit.
   */
  memory(): { bytesInUse: number; peakBytes?: number; source: string } {
    const bytesInUse = tf.memory().numBytes;
    const heap = wasmHeapBytes();
    return heap === undefined
      ? { bytesInUse, source: 'tf.memory().numBytes' }
      : { bytesInUse, peakBytes: heap, source: 'wasm heap size (grows only: process high-water mark)' };
  }

  async loadModel<H extends HeadName>(
    head: H,
    config: AlbertConfig,
    weights: WeightMap,
    options: LoadModelOptions = {},
  ): Promise<TfjsAlbertModel<H>> {
    checkDType('@albertjs/tfjs', options.dtype ?? 'float32', ['float32']);
    await activate(this.runtime.tfBackend);
    const model = new TfjsAlbertModel(
      head,
      config,
      weights,
      this.runtime.tfBackend,
      options.attnImplementation ?? 'sdpa',
    );
    model.gradientCheckpointing = this.gradientCheckpointing;
    return model;
  }
}

function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.length;
}

/**
 * Starts TensorFlow.js on the best runtime available (tfjs-node-gpu, tfjs-node, wasm, cpu) or the
 * one forced with `runtime`; `(await backend.describe())` says which ran and why others were skipped.
 */
export async function createBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  return new TfjsBackend(await selectRuntime(options), options);
}
