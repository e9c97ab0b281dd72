// Dropout in training graphs as a product with a mask the caller feeds: `dropout.<site>` holds 0 or
// 1/(1-p) per element (nn.Dropout's inverted scaling), so the backward pass is a Mul by the same mask and
// a run is as reproducible as the masks' random stream. The sites are transformers' nn.Dropout calls:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L49-L107 (AlbertEmbeddings: hidden_dropout_prob)
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L200 (attention probabilities: attention_probs_dropout_prob; dense output: hidden_dropout_prob)
// and the heads' classifier dropout (core's linearDropout). AlbertLayer applies no dropout to ffn_output.
import type { Mulberry32 } from '@albertjs/core';

/** One dropout site of a training graph: the mask input's name, its probability and shape. */
export interface DropoutSite {
  /** Graph input name (`dropout.embeddings`, `dropout.attention_probs.3`, …). */
  name: string;
  /** Probability of zeroing an element. */
  rate: number;
  /** The mask's shape for N rows (batch, or batch × choices) of S tokens. */
  shape: (n: number, s: number) => number[];
}

/**
 * The mask of `site` for `shape` from `rng`: element k is 0 where the k-th draw u ∈ [0, 1) is below `rate`,
 * else 1/(1-rate). The mulberry32 step is Mulberry32.next's, inlined and compared as an integer (u ≥ rate ⇔
 * 2³²·u ≥ ⌈2³²·rate⌉): a step's masks are ≈ 3.6 M draws at albert-base 1 × 128. `into`: an array of the
 * mask's size to write instead of a new one (recompute reuses one buffer per site kind).
 */
export function dropoutMask(
  site: DropoutSite,
  shape: readonly number[],
  rng: Mulberry32,
  into?: Float32Array,
): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (into && into.length !== n) throw new Error(`dropout mask ${site.name}: buffer of ${into.length} for ${n} values`);
  const out = into ?? new Float32Array(n);
  const scale = 1 / (1 - site.rate);
  const threshold = Math.ceil(site.rate * 4294967296);
  let state = rng.state;
  for (let k = 0; k < n; k++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[k] = (t ^ (t >>> 14)) >>> 0 >= threshold ? scale : 0;
  }
  rng.state = state;
  return out;
}
