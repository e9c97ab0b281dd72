// What a graph is built for: flavour, weight precision, attention implementation and its inputs/outputs.
import { type AttnImplementation, ConfigError, checkDType as checkLoadDType } from '@albertjs/core';

/** `standard`: plain opset-17 ops any runtime runs. `optimized`: onnxruntime com.microsoft contrib ops. */
export type Flavour = 'standard' | 'optimized';
/** How optimized sdpa graphs compute attention. */
export type AttentionOp = 'Attention' | 'MultiHeadAttention' | 'unfused';

export const FLAVOURS: readonly Flavour[] = ['standard', 'optimized'];

/** Storage precision of the weights: fp16 weights are widened to fp32 in-graph (LayerNorm/softmax run fp32); int8 = per-channel dynamic quantization of the MatMul weights. */
export type WeightDType = 'float32' | 'float16' | 'int8';
export const WEIGHT_DTYPES: readonly WeightDType[] = ['float32', 'float16', 'int8'];

export interface GraphOptions {
  flavour: Flavour;
  dtype: WeightDType;
  /** eager: unfused attention that can output `attentions.<i>` and take `head_mask`; sdpa: the fused graph. */
  attnImplementation: AttnImplementation;
  /** Input `inputs_embeds` [B, S, E] instead of `input_ids`. */
  inputsEmbeds: boolean;
  /** Input `position_ids` [B, S]; otherwise positions 0..S-1 are computed in the graph. */
  positionIds: boolean;
  /** Input `head_mask` [num_hidden_layers, heads] scaling each layer's attention probabilities (eager only). */
  headMask: boolean;
  /** Outputs `hidden_states.<i>` (1 + layers × inner_group_num of them). */
  hiddenStates: boolean;
  /** Outputs `attentions.<i>` (eager only). */
  attentions: boolean;
  /**
   * sdpa attention in optimized graphs: 'Attention' (com.microsoft Attention: QKV projection inside),
   * 'MultiHeadAttention' (QKV MatMuls, then com.microsoft MultiHeadAttention; see packedQkv) or 'unfused'.
   * Default: 'Attention' for float weights (fastest at 8 × 128, level elsewhere), 'unfused' for int8
   * (see bench/attention-ab.ts).
   */
  attentionOp?: AttentionOp;
  /**
   * Optimized graphs: residual + LayerNorm as com.microsoft SkipLayerNormalization (true) or as Add +
   * LayerNormalization (false, the default: onnxruntime 1.30's CPU SkipLayerNormalization kernel is
   * slower than the two, see bench/profile.ts).
   */
  skipLayerNorm?: boolean;
  /**
   * MultiHeadAttention graphs: one packed [H, 3H] QKV MatMul + Split (true) or three [H, H] MatMuls
   * feeding MultiHeadAttention directly (false, the default; see bench/attention-ab.ts).
   */
  packedQkv?: boolean;
  /**
   * Training graphs (standard, eager): every dropout site whose probability is non-zero multiplies its
   * value by a float input `dropout.<site>` (the mask: 0 or 1/(1-p), made by the caller); see dropout.ts.
   */
  dropout?: boolean;
}

export const DEFAULT_GRAPH_OPTIONS: GraphOptions = {
  flavour: 'standard',
  dtype: 'float32',
  attnImplementation: 'sdpa',
  inputsEmbeds: false,
  positionIds: false,
  headMask: false,
  hiddenStates: false,
  attentions: false,
};

export function checkFlavour(f: string): Flavour {
  if (!(FLAVOURS as readonly string[]).includes(f))
    throw new ConfigError(`unknown ONNX graph flavour ${JSON.stringify(f)}; expected one of ${FLAVOURS.join(', ')}`);
  return f as Flavour;
}

export function checkDType(d: unknown): WeightDType {
  return checkLoadDType('@albertjs/onnx', d, WEIGHT_DTYPES);
}
