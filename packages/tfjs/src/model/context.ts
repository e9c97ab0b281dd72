// Per-call settings threaded through the modules.
import type { AlbertConfig, AttnImplementation } from '@albertjs/core';
import type { tf } from '../tf.js';

export interface RunContext {
  config: AlbertConfig;
  attn: AttnImplementation;
  /** Dropout on (training) or off (inference). */
  training: boolean;
  /** Seeds for the dropout masks of a seeded run (unseeded: Math.random). */
  nextSeed?: () => number;
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
