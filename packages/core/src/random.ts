// Seeded random numbers and random ALBERT weights of any config and head: the same sequence on every
// platform, so that training runs, benchmarks and cross-backend checks reproduce without downloading anything.
// The "init" style follows transformers' AlbertPreTrainedModel._init_weights:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L301-L314 (AlbertPreTrainedModel._init_weights)
import type { AlbertConfig } from './config.js';
import { InputError } from './errors.js';
import type { HeadName } from './heads/names.js';
import { headParams, type ParamSpec, tiedKeys, untiedDecoderParam } from './heads/spec.js';
import { checkParamSizes } from './params.js';
import { numel, Tensor } from './tensor.js';
import { bindWeights, type WeightMap } from './weights.js';

/** mulberry32 with its 32-bit state exposed, so that a run can save and resume its random stream exactly. */
export class Mulberry32 {
  state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** The next float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** mulberry32: a small, well-mixed 32-bit PRNG giving floats in [0, 1) (same sequence on every platform). */
export function mulberry32(seed: number): () => number {
  const g = new Mulberry32(seed);
  return () => g.next();
}

/** `n` samples of normal(mean, std²) by Box–Muller (two per pair of uniforms) from a uniform generator. */
export function normals(rand: () => number, n: number, std = 1, mean = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand(); // (0, 1]: log(u) is finite
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * How random weights are drawn:
 * - `init`: as transformers' `_init_weights` (Linear/Embedding weights normal(0, initializer_range), biases 0,
 *   LayerNorm weight 1 / bias 0, the padding row of the word embeddings 0): a fresh model to train.
 * - `perturbed`: matrices as `init`, but biases normal(0, 0.1²) and LayerNorm weights normal(1, 0.1²), so that
 *   a backend that drops one of them disagrees with the others (cross-backend checks).
 */
export type RandomWeightsStyle = 'init' | 'perturbed';

export interface RandomWeightsOptions {
  /** PRNG seed (mulberry32). Default 0. */
  seed?: number;
  /** Default `init`. */
  style?: RandomWeightsStyle;
  /** Leave out the keys `bindWeights` ties (as Hub checkpoints do). Default false. */
  omitTied?: boolean;
}

/**
 * One parameter's initial values, drawn from `rand` in row-major order: transformers' `_init_weights` for the module
 * that owns it (`init`), or the `perturbed` variant. Linear/Embedding weights normal(0, initializer_range), biases
 * (AlbertMLMHead's `predictions.bias` included) 0, LayerNorm weight 1 / bias 0, the padding_idx row of
 * `word_embeddings` 0.
 */
export function initParamData(
  p: ParamSpec,
  config: AlbertConfig,
  rand: () => number,
  style: RandomWeightsStyle = 'init',
): Float32Array {
  const n = numel(p.shape);
  const std = config.initializer_range;
  const isNormWeight = /(LayerNorm|layer_norm)\.weight$/.test(p.name);
  const isBias = p.name.endsWith('.bias');
  if (style === 'perturbed')
    return isNormWeight ? normals(rand, n, 0.1, 1) : isBias ? normals(rand, n, 0.1) : normals(rand, n, std);
  let data: Float32Array;
  if (isBias) data = new Float32Array(n);
  else if (isNormWeight) data = new Float32Array(n).fill(1);
  else data = normals(rand, n, std);
  if (p.name.endsWith('word_embeddings.weight') && config.pad_token_id !== null) {
    // [vocab, E]: zero the padding_idx row, as nn.Embedding(padding_idx=pad_token_id) does.
    const E = p.shape[1]!;
    data.fill(0, config.pad_token_id * E, (config.pad_token_id + 1) * E);
  }
  return data;
}

/**
 * Seeded random checkpoint tensors (transformers' key names) for `head` under `config`, including an untied
 * MLM decoder when the config unties it.
 */
export function randomTensors(
  head: HeadName,
  config: AlbertConfig,
  options: RandomWeightsOptions = {},
): Map<string, Tensor<Float32Array>> {
  const { seed = 0, style = 'init', omitTied = false } = options;
  if (style !== 'init' && style !== 'perturbed')
    throw new InputError(`random weights style must be 'init' or 'perturbed', got ${JSON.stringify(style)}`);
  checkParamSizes(config, head);
  const rand = mulberry32(seed);
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  const out = new Map<string, Tensor<Float32Array>>();
  for (const p of params) out.set(p.name, new Tensor('float32', initParamData(p, config, rand, style), p.shape));
  if (omitTied) for (const target of Object.keys(tiedKeys(head, config))) out.delete(target);
  return out;
}

/** `randomTensors` bound by `bindWeights`: a WeightMap ready for `Backend.loadModel`, and the raw tensors. */
export function randomWeightMap(
  head: HeadName,
  config: AlbertConfig,
  options: RandomWeightsOptions = {},
): { weights: WeightMap; raw: Map<string, Tensor<Float32Array>> } {
  const raw = randomTensors(head, config, options);
  return { weights: bindWeights(head, config, raw).weights, raw };
}
