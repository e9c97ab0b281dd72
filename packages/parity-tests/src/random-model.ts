// Seeded random ALBERT weights of any shape (albert-base-v2 by default) and seeded inputs, so that
// backends can be checked against each other at real sizes without downloading anything.
import { AlbertConfig, type HeadName, mulberry32, randomWeightMap, Tensor, type WeightMap } from '@albertjs/core';

export { mulberry32, normals } from '@albertjs/core';

/**
 * Weights for `head` as transformers' `_init_weights` draws them (normal(0, initializer_range) for
 * matrices and embeddings), with biases and LayerNorm parameters perturbed away from 0 / 1 so that a
 * backend that drops one of them disagrees with the others (core's randomTensors, style 'perturbed').
 * Tied keys are not stored, as on the Hub; bindWeights ties them.
 */
export function randomWeights(
  head: HeadName,
  config: AlbertConfig,
  seed = 0,
): { weights: WeightMap; raw: Map<string, Tensor> } {
  return randomWeightMap(head, config, { seed, style: 'perturbed', omitTied: true });
}

/** The albert-base-v2 architecture (vocab 30000, E 128, H 768, 12 layers, 12 heads, 1 group). */
export function albertBaseV2Config(): AlbertConfig {
  return AlbertConfig.fromPreset('albert-base-v2');
}

export interface RandomInputs {
  input_ids: Tensor<BigInt64Array>;
  attention_mask: Tensor<BigInt64Array>;
  token_type_ids: Tensor<BigInt64Array>;
}

/**
 * `[batch, seq]` ids in [5, vocab), the second segment marked in token_type_ids, and padding at the end
 * of every row but the first (row b keeps seq - b * seq/(2·batch) tokens) so masking is exercised.
 */
export function randomInputs(config: AlbertConfig, batch: number, seq: number, seed = 1): RandomInputs {
  const rand = mulberry32(seed);
  const n = batch * seq;
  const ids = new BigInt64Array(n);
  const mask = new BigInt64Array(n);
  const types = new BigInt64Array(n);
  for (let b = 0; b < batch; b++) {
    const len = seq - Math.floor((b * seq) / (2 * batch));
    for (let s = 0; s < seq; s++) {
      const i = b * seq + s;
      const real = s < len;
      ids[i] = real ? BigInt(5 + Math.floor(rand() * (config.vocab_size - 5))) : BigInt(config.pad_token_id ?? 0);
      mask[i] = real ? 1n : 0n;
      types[i] = real && s >= len / 2 ? 1n : 0n;
    }
  }
  const shape = [batch, seq]; // [B, S]
  return {
    input_ids: new Tensor('int64', ids, shape),
    attention_mask: new Tensor('int64', mask, shape),
    token_type_ids: new Tensor('int64', types, shape),
  };
}
