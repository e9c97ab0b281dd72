// Seeded random ALBERT weights for a config (benchmarks and tests that need no fixtures).
import { type AlbertConfig, type HeadName, mulberry32, randomWeightMap, Tensor, type WeightMap } from '@albertjs/core';

/** mulberry32 from core (the one seeded PRNG of the project). */
export const rng = mulberry32;

/** Core's seeded random weights (style 'perturbed': biases and LayerNorm weights away from 0 / 1), bound as a checkpoint would be. */
export function randomWeights(head: HeadName, config: AlbertConfig, seed = 0): WeightMap {
  return randomWeightMap(head, config, { seed, style: 'perturbed' }).weights;
}

/** [batch, seq] random ids (position 0 = [CLS] id 2), all-ones mask, zero token types. */
export function randomIds(config: AlbertConfig, batch: number, seq: number, seed = 1): Tensor<BigInt64Array> {
  const rand = rng(seed);
  const ids = new BigInt64Array(batch * seq);
  for (let k = 0; k < ids.length; k++)
    ids[k] = BigInt(k % seq === 0 ? 2 : 5 + Math.floor(rand() * (config.vocab_size - 5)));
  return new Tensor('int64', ids, [batch, seq]);
}
