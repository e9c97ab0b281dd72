// Seeded random ALBERT weights for a config (benchmarks and tests that need no fixtures).
import {
  type AlbertConfig,
  bindWeights,
  type HeadName,
  headParams,
  mulberry32,
  normals,
  numel,
  Tensor,
  type WeightMap,
} from '@albertjs/core';

/** mulberry32 from core (the one seeded PRNG of the project). */
export const rng = mulberry32;

/** Every parameter of `head` drawn from N(0, initializer_range) (LayerNorm weights around 1), bound as a checkpoint would be. */
export function randomWeights(head: HeadName, config: AlbertConfig, seed = 0): WeightMap {
  const rand = rng(seed);
  const raw = new Map<string, Tensor>();
  for (const p of headParams(head, config)) {
    const ln = /LayerNorm\.weight|layer_norm\.weight/.test(p.name);
    raw.set(
      p.name,
      new Tensor('float32', normals(rand, numel(p.shape), ln ? 0.05 : config.initializer_range, ln ? 1 : 0), p.shape),
    );
  }
  return bindWeights(head, config, raw).weights;
}

/** [batch, seq] random ids (position 0 = [CLS] id 2), all-ones mask, zero token types. */
export function randomIds(config: AlbertConfig, batch: number, seq: number, seed = 1): Tensor<BigInt64Array> {
  const rand = rng(seed);
  const ids = new BigInt64Array(batch * seq);
  for (let k = 0; k < ids.length; k++)
    ids[k] = BigInt(k % seq === 0 ? 2 : 5 + Math.floor(rand() * (config.vocab_size - 5)));
  return new Tensor('int64', ids, [batch, seq]);
}
