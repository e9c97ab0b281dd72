// A tiny random ALBERT (2 groups × 2 inner layers) shared by this package's tests.
import { AlbertConfig } from '@albertjs/core';

export function tinyConfig(overrides: Record<string, unknown> = {}): AlbertConfig {
  return new AlbertConfig({
    vocab_size: 99,
    embedding_size: 8,
    hidden_size: 16,
    num_hidden_layers: 4,
    num_hidden_groups: 2,
    inner_group_num: 2,
    num_attention_heads: 2,
    intermediate_size: 20,
    max_position_embeddings: 24,
    hidden_act: 'gelu_new',
    num_labels: 3,
    ...overrides,
  });
}
