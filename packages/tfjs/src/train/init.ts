// Fresh weights for training from scratch, as transformers' AlbertPreTrainedModel._init_weights:
// Linear/Embedding weights ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0,
// the padding row of the word embeddings 0. Seeded (mulberry32 + Box–Muller), same on every platform:
// the generator is @albertjs/core's randomTensors (style 'init').
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L301-L314 (AlbertPreTrainedModel._init_weights)
import {
  type AlbertConfig,
  type HeadName,
  randomTensors,
  randomWeightMap,
  type Tensor,
  type WeightMap,
} from '@albertjs/core';

export { mulberry32 } from '@albertjs/core';

/** Raw tensors (checkpoint names) of a freshly initialized `head`. */
export function initTensors(head: HeadName, config: AlbertConfig, seed = 0): Map<string, Tensor<Float32Array>> {
  return randomTensors(head, config, { seed, style: 'init' });
}

/** A WeightMap of fresh weights, ready for Backend.loadModel. */
export function initWeights(head: HeadName, config: AlbertConfig, seed = 0): WeightMap {
  return randomWeightMap(head, config, { seed, style: 'init' }).weights;
}
