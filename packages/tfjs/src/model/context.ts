// Per-call settings threaded through the modules.
import type { AlbertConfig, AttnImplementation } from '@albertjs/core';
import type { tf } from '../tf.js';
import { mulberry32 } from '../train/init.js';

export interface RunContext {
  config: AlbertConfig;
  attn: AttnImplementation;
  /** Dropout on (training) or off (inference). */
  training: boolean;
  /** Seeds for the dropout masks of a seeded run (unseeded: Math.random). */
  nextSeed?: () => number;
  /**
   * Gradient checkpointing: each layer application keeps only its input on the gradient tape and is
   * recomputed in the backward pass (no effect without a tape, or when attentions are output).
   */
  checkpoint?: boolean;
  /**
   * Only the loss is needed (training, gradients): the MLM heads run on the labelled positions only and
   * their logits field is [N, V] over those N rows instead of [B, S, V].
   */
  lossOnly?: boolean;
  outputAttentions: boolean;
  outputHiddenStates: boolean;
  /** [num_hidden_layers, heads]; row l scales the probabilities of every inner layer of layer l (eager only). */
  headMask?: tf.Tensor;
}

/** A reproducible stream of dropout seeds (integers in [0, 2³¹)). */
export function seedStream(seed: number): () => number {
  const rand = mulberry32(seed);
  return () => Math.floor(rand() * 2 ** 31);
}
