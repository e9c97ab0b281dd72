// The interface every backend package (@albertjs/tfjs, @albertjs/onnx, @albertjs/webgpu) implements,
// so the CLI, the pipelines and the parity runner drive any of them the same way.
import type { AlbertConfig } from './config.js';
import type { HeadName } from './heads/names.js';
import type { HeadOutputs } from './outputs.js';
import type { ResizeOptions } from './resize-embeddings.js';
import type { IdsLike, Tensor } from './tensor.js';
import type { WeightMap } from './weights.js';

/** Any other value is a ConfigError on every backend (core's checkAttnImplementation). */
export type AttnImplementation = 'eager' | 'sdpa';

/** Model inputs, named as transformers' forward() arguments. */
export interface AlbertInputs {
  /** [B, S] ([B, C, S] for multiple choice) int64/int32 ids. */
  input_ids?: IdsLike;
  /** [B, S] non-zero = attend, 0 = padding (transformers 5.x turns it into bool). Default: all ones. */
  attention_mask?: IdsLike;
  /** [B, S] segment ids. Default: zeros. */
  token_type_ids?: IdsLike;
  /** [B, S] positions. Default: 0..S-1. */
  position_ids?: IdsLike;
  /** [B, S, E] float32, instead of input_ids. */
  inputs_embeds?: Tensor<Float32Array>;
  /**
   * [heads] (every layer) or [num_hidden_layers, heads] (row l scales layer l's attention
   * probabilities in every inner layer of it). Eager attention only; sdpa ignores it with a warning.
   * (transformers 4.x indexed rows by group slice; 5.x ignores head_mask for ALBERT.)
   * Any numeric dtype (float32, int64 …); it is cast to float32 as transformers casts it to the model dtype.
   */
  head_mask?: Tensor;
  /** MLM: [B, S] int (-100 ignored); sequence classification: [B] int or [B] / [B, L] float; token: [B, S]; MC: [B]. */
  labels?: IdsLike | Tensor<Float32Array>;
  /** AlbertForPreTraining: [B] 0 = in order, 1 = swapped. */
  sentence_order_label?: IdsLike;
  /** QA: [B]; values outside [0, S] are clamped to S and ignored by the loss. */
  start_positions?: IdsLike;
  end_positions?: IdsLike;
}

export interface ForwardOptions {
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
  /** Overrides the model's attention implementation for this call. */
  attnImplementation?: AttnImplementation;
}

export interface LoadModelOptions {
  attnImplementation?: AttnImplementation;
  /** Backend-specific precision: 'float32' (default), 'float16', 'int8' … */
  dtype?: string;
}

/** A model loaded on a backend. */
export interface AlbertModelHandle<H extends HeadName = HeadName> {
  readonly head: H;
  readonly config: AlbertConfig;
  readonly backend: string;
  forward(inputs: AlbertInputs, options?: ForwardOptions): Promise<HeadOutputs[H]>;
  /**
   * d(loss)/d(parameter) for every parameter, keyed by checkpoint name (shared layers summed).
   * For AlbertModel, `cotangents` gives the seeds (`last_hidden_state`, `pooler_output`).
   * Only training-capable backends implement it.
   */
  gradients?(
    inputs: AlbertInputs,
    cotangents?: Record<string, Tensor<Float32Array>>,
  ): Promise<{ loss: number; grads: Map<string, Tensor<Float32Array>> }>;
  /**
   * transformers' `model.resize_token_embeddings(n, pad_to_multiple_of)`: n word-embedding rows (rounded up to
   * `padToMultipleOf`), new rows initialised as transformers does (mean_resizing by default), the MLM decoder and
   * its bias following (tied or not), `config.vocab_size` updated. Runs after the calls already made; resolves to
   * the new vocab size. Same rule and same InputError for a bad size on every backend (core's resizeTokenEmbeddings).
   */
  resizeTokenEmbeddings(newNumTokens: number, options?: ResizeOptions): Promise<number>;
  /** transformers' `model.get_input_embeddings().weight`: a copy of the [vocab_size, embedding_size] matrix. */
  getInputEmbeddings(): Promise<Tensor<Float32Array>>;
  /** transformers' `model.set_input_embeddings(...)`: a new [rows, embedding_size] matrix; vocab_size follows. */
  setInputEmbeddings(embeddings: Tensor<Float32Array>): Promise<void>;
  dispose(): void;
}

export interface Backend {
  /** 'tfjs' | 'onnx' | 'webgpu' */
  readonly name: string;
  /** What actually runs (e.g. 'tfjs-wasm', 'onnxruntime-node cpu', 'SwiftShader Vulkan'). */
  describe(): Promise<string>;
  loadModel<H extends HeadName>(
    head: H,
    config: AlbertConfig,
    weights: WeightMap,
    options?: LoadModelOptions,
  ): Promise<AlbertModelHandle<H>>;
  dispose?(): Promise<void> | void;
}
