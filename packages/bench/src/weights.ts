// Seeded random weights of a config's shape, initialised as transformers' AlbertPreTrainedModel._init_weights:
// Linear / Embedding ~ N(0, initializer_range²), biases 0, LayerNorm weight 1, the padding row of the
// word embeddings 0. https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py (AlbertPreTrainedModel._init_weights)
import {
  type AlbertConfig,
  bindWeights,
  type HeadName,
  headParams,
  numel,
  Tensor,
  type WeightMap,
} from '@albertjs/core';
import { SeededRandom } from './random.js';

function isLayerNormWeight(name: string): boolean {
  return /(LayerNorm|layer_norm)\.weight$/.test(name);
}

/** Raw checkpoint tensors (checkpoint names) for `head` under `config`, deterministic in `seed`. */
export function randomCheckpoint(head: HeadName, config: AlbertConfig, seed: number): Map<string, Tensor> {
  const rng = new SeededRandom(seed);
  const out = new Map<string, Tensor>();
  for (const p of headParams(head, config)) {
    const n = numel(p.shape);
    let data: Float32Array;
    if (isLayerNormWeight(p.name)) data = new Float32Array(n).fill(1);
    else if (p.name.endsWith('bias')) data = new Float32Array(n);
    else data = rng.normalArray(n, config.initializer_range);
    if (p.name.endsWith('embeddings.word_embeddings.weight') && config.pad_token_id !== null) {
      // [vocab, E]: zero the padding_idx row, as nn.Embedding(padding_idx=pad_token_id).
      data.fill(0, config.pad_token_id * p.shape[1]!, (config.pad_token_id + 1) * p.shape[1]!);
    }
    out.set(p.name, Tensor.f32(data, p.shape));
  }
  return out;
}

/** Random weights bound to `head` (ties applied by core's bindWeights). */
export function randomWeights(
  head: HeadName,
  config: AlbertConfig,
  seed: number,
): { weights: WeightMap; parameters: number } {
  const raw = randomCheckpoint(head, config, seed);
  let parameters = 0;
  for (const t of raw.values()) parameters += t.size;
  return { weights: bindWeights(head, config, raw).weights, parameters };
}
