// createBackend(): the @albertjs/core Backend for onnxruntime (CONTRIBUTING.md "Backend entry points").
import {
  type AlbertConfig,
  type AlbertModelHandle,
  type Backend,
  BackendError,
  ConfigError,
  type HeadName,
  type LoadModelOptions,
  type WeightMap,
} from '@albertjs/core';
import { checkDType, checkFlavour, type Flavour, type WeightDType } from './model/options.js';
import { OnnxModelHandle } from './runtime/handle.js';
import { isJsepWebgpu } from './runtime/jsep.js';
import { defaultRuntime, loadOrt, type OrtModule, type SessionConfig } from './runtime/ort.js';

export interface OnnxBackendOptions extends SessionConfig {
  /**
   * The onnxruntime module to use instead of the default (onnxruntime-node in Node, onnxruntime-web in
   * browsers), e.g. `await import('onnxruntime-web/webgpu')`: onnxruntime-node and onnxruntime-web both fit.
   */
  ort?: OrtModule;
  /** Graph flavour for every model of this backend (default 'optimized' under onnxruntime-node, 'standard' on the web). */
  flavour?: Flavour;
  /** Receives warnings (sdpa ignoring head_mask …); default console.warn. */
  warn?: (msg: string) => void;
  /**
   * Per-layer recompute (gradient checkpointing) in gradients() and OnnxTrainer steps, as tfjs'
   * `gradientCheckpointing`: the forward pass keeps only each layer's input hidden state and the backward
   * pass recomputes every layer from it (train/recompute.ts). Less memory (albert-base 8 × 512 in a few GB
   * instead of ~15), ≈ one more forward of time. Default false.
   */
  gradientCheckpointing?: boolean;
}

export interface OnnxLoadOptions extends LoadModelOptions {
  /** 'float32' (default), 'float16' (fp16 weights) or 'int8' (per-channel dynamic quantization of the MatMul weights). */
  dtype?: WeightDType;
  /** Overrides the backend's flavour for this model. */
  flavour?: Flavour;
}

export async function createBackend(options: OnnxBackendOptions = {}): Promise<Backend> {
  const runtime = options.runtime ?? defaultRuntime();
  const ort = options.ort ?? (await loadOrt(runtime));
  const flavour = checkFlavour(options.flavour ?? (runtime === 'node' ? 'optimized' : 'standard'));
  if (options.gradientCheckpointing !== undefined && typeof options.gradientCheckpointing !== 'boolean')
    throw new ConfigError(
      `gradientCheckpointing must be true or false, got ${JSON.stringify(options.gradientCheckpointing)}`,
    );
  const gradientCheckpointing = options.gradientCheckpointing ?? false;
  const jsepWebgpu = await isJsepWebgpu(runtime, options.ort, options.executionProviders);
  const { ort: _ort, flavour: _f, warn: _w, gradientCheckpointing: _g, ...sessionConfig } = { ...options, runtime };
  return {
    name: 'onnx',
    async describe() {
      const eps = options.executionProviders?.join(', ') ?? (runtime === 'node' ? 'cpu' : 'wasm');
      return `onnxruntime-${runtime} ${eps} (${flavour} graphs${gradientCheckpointing ? ', gradient checkpointing on' : ''})`;
    },
    async loadModel<H extends HeadName>(
      head: H,
      config: AlbertConfig,
      weights: WeightMap,
      opts: OnnxLoadOptions = {},
    ): Promise<AlbertModelHandle<H>> {
      const handle = new OnnxModelHandle({
        head,
        config,
        weights,
        flavour: opts.flavour ? checkFlavour(opts.flavour) : flavour,
        dtype: checkDType(opts.dtype ?? 'float32'),
        attnImplementation: opts.attnImplementation ?? 'sdpa',
        ort,
        session: sessionConfig,
        gradientCheckpointing,
        jsepWebgpu,
        ...(options.warn ? { warn: options.warn } : {}),
      });
      try {
        await handle.warmup();
      } catch (e) {
        handle.dispose();
        if (e instanceof BackendError) throw e;
        throw new BackendError(`building the ONNX graph of ${head} failed: ${(e as Error).message}`, { cause: e });
      }
      return handle;
    },
  };
}
