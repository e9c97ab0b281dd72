// Seeded random ALBERT weights of any shape (albert-base-v2 by default) and seeded inputs, so that
// backends can be checked against each other at real sizes without downloading anything.
import {
  AlbertConfig,
  bindWeights,
  type HeadName,
  headParams,
  Tensor,
  tiedKeys,
  untiedDecoderParam,
  type WeightMap,
} from '@albertjs/core';

/** mulberry32: a small, well-mixed 32-bit PRNG (same sequence on every platform). */
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

/** Standard normal samples (Box–Muller) from a uniform generator. */
export function normals(rand: () => number, n: number, std = 1, mean = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * Weights for `head` as transformers' `_init_weights` draws them (normal(0, initializer_range) for
 * matrices and embeddings), with biases and LayerNorm parameters perturbed away from 0 / 1 so that a
 * backend that drops one of them disagrees with the others.
 */
export function randomWeights(
  head: HeadName,
  config: AlbertConfig,
  seed = 0,
): { weights: WeightMap; raw: Map<string, Tensor> } {
  const rand = mulberry32(seed);
  const raw = new Map<string, Tensor>();
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  const std = config.initializer_range;
  for (const p of params) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const isNorm = /LayerNorm\.weight$|layer_norm\.weight$/.test(p.name);
    const isBias = p.name.endsWith('.bias');
    const data = isNorm ? normals(rand, n, 0.1, 1) : isBias ? normals(rand, n, 0.1) : normals(rand, n, std);
    raw.set(p.name, new Tensor('float32', data, p.shape));
  }
  // Tied keys are not stored, as on the Hub; bindWeights ties them.
  for (const target of Object.keys(tiedKeys(head, config))) raw.delete(target);
  const { weights } = bindWeights(head, config, raw);
  return { weights, raw };
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
