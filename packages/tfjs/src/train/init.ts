// Fresh weights for training from scratch, as transformers' AlbertPreTrainedModel._init_weights:
// Linear/Embedding weights ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 / bias 0,
// the padding row of the word embeddings 0. Seeded (mulberry32 + Box–Muller), same on every platform.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/models/albert/modeling_albert.py (AlbertPreTrainedModel._init_weights)
import {
  type AlbertConfig,
  bindWeights,
  type HeadName,
  headParams,
  Tensor,
  untiedDecoderParam,
  type WeightMap,
} from '@albertjs/core';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * std;
    const a = 2 * Math.PI * rand();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** Raw tensors (checkpoint names) of a freshly initialized `head`. */
export function initTensors(head: HeadName, config: AlbertConfig, seed = 0): Map<string, Tensor<Float32Array>> {
  const rand = mulberry32(seed);
  const specs = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) specs.push(untied);
  const out = new Map<string, Tensor<Float32Array>>();
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const leaf = s.name.slice(s.name.lastIndexOf('.') + 1);
    const isNorm = /LayerNorm|layer_norm/.test(s.name);
    let data: Float32Array;
    if (leaf === 'bias') data = new Float32Array(n);
    else if (isNorm) data = new Float32Array(n).fill(1);
    else data = normal(rand, n, config.initializer_range);
    if (s.name.endsWith('word_embeddings.weight') && config.pad_token_id !== null)
      data.fill(0, config.pad_token_id * s.shape[1]!, (config.pad_token_id + 1) * s.shape[1]!);
    out.set(s.name, new Tensor('float32', data, s.shape));
  }
  return out;
}

/** A WeightMap of fresh weights, ready for Backend.loadModel. */
export function initWeights(head: HeadName, config: AlbertConfig, seed = 0): WeightMap {
  return bindWeights(head, config, initTensors(head, config, seed)).weights;
}
