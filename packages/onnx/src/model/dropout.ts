// Dropout in training graphs as a product with a mask the caller feeds: `dropout.<site>` holds 0 or
// 1/(1-p) per element (nn.Dropout's inverted scaling), so the backward pass is a Mul by the same mask and
// a run is as reproducible as the masks' random stream. The sites are transformers' nn.Dropout calls:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L49-L107 (AlbertEmbeddings: hidden_dropout_prob)
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L110-L200 (attention probabilities: attention_probs_dropout_prob; dense output: hidden_dropout_prob)
// and the heads' classifier dropout (core's linearDropout). AlbertLayer applies no dropout to ffn_output.

/** One dropout site of a training graph: the mask input's name, its probability and shape. */
export interface DropoutSite {
  /** Graph input name (`dropout.embeddings`, `dropout.attention_probs.3`, …). */
  name: string;
  /** Probability of zeroing an element. */
  rate: number;
  /** The mask's shape for N rows (batch, or batch × choices) of S tokens. */
  shape: (n: number, s: number) => number[];
}

/** Fills masks for dropout sites: element k is 0 with probability `rate`, else 1/(1-rate). */
export function dropoutMask(site: DropoutSite, shape: readonly number[], uniform: () => number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const scale = 1 / (1 - site.rate);
  for (let k = 0; k < n; k++) out[k] = uniform() >= site.rate ? scale : 0;
  return out;
}
