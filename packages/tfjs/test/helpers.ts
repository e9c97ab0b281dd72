// Small seeded models for the package's own tests (the HF fixtures are exercised in packages/parity-tests).
import { AlbertConfig, bindWeights, type HeadName } from '@albertjs/core';
import { createBackend, type TfjsAlbertModel, type TfjsBackend } from '../src/index.js';
import { initTensors, mulberry32 } from '../src/train/init.js';

export function tinyConfig(overrides: Record<string, unknown> = {}): AlbertConfig {
  return new AlbertConfig({
    vocab_size: 50,
    embedding_size: 8,
    hidden_size: 16,
    num_hidden_layers: 4,
    num_hidden_groups: 2,
    inner_group_num: 2,
    num_attention_heads: 4,
    intermediate_size: 24,
    max_position_embeddings: 24,
    hidden_act: 'gelu_new',
    ...overrides,
  });
}

/** Random (not HF-initialized) biases and norms too, so that every parameter matters. */
export async function tinyModel<H extends HeadName>(
  backend: TfjsBackend,
  head: H,
  config = tinyConfig(),
  seed = 1,
): Promise<TfjsAlbertModel<H>> {
  const raw = initTensors(head, config, seed);
  let k = seed;
  for (const t of raw.values())
    for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! + 0.1 * Math.sin(++k * 12.9898);
  return backend.loadModel(head, config, bindWeights(head, config, raw).weights, { attnImplementation: 'eager' });
}

let cpu: Promise<TfjsBackend> | undefined;
export function cpuBackend(): Promise<TfjsBackend> {
  cpu ??= createBackend({ runtime: 'cpu' });
  return cpu;
}

export function ids(B: number, S: number, vocab: number, seed = 3): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: B }, () => Array.from({ length: S }, () => Math.floor(rand() * vocab)));
}
