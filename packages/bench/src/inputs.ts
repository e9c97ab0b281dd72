// Seeded batches for one grid cell: the same ids (and labels) for every backend and for transformers.js.
import {
  type AlbertConfig,
  type AlbertInputs,
  HEADS,
  type HeadName,
  InputError,
  mulberry32,
  normals,
  Tensor,
} from '@albertjs/core';

/** First id drawn: ids 0–4 are ALBERT's pad/unk/[CLS]/[SEP]/[MASK]. */
const FIRST_ORDINARY_ID = 5;

export interface CellBatch {
  inputs: AlbertInputs;
  /** AlbertModel training seeds d(scalar)/d(output) (see CONTRIBUTING "AlbertModel gradients"). */
  cotangents?: Record<string, Tensor<Float32Array>>;
}

function cellSeed(seed: number, batch: number, seq: number): number {
  // Distinct, deterministic stream per (seed, batch, seq).
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(batch, 0x85ebca6b) ^ Math.imul(seq, 0xc2b2ae35)) | 0;
}

/** `n` uniform integers in [lo, hi] from core's seeded mulberry32 stream. */
function ints(rand: () => number, n: number, lo: number, hi: number): BigInt64Array {
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(lo + Math.floor(rand() * (hi - lo + 1)));
  return out;
}

/**
 * input_ids [B, S] drawn uniformly from the ordinary ids, attention_mask all ones, token_type_ids zeros;
 * with `training`, the labels the head's loss needs.
 */
export function makeBatch(
  head: HeadName,
  config: AlbertConfig,
  batch: number,
  seq: number,
  seed: number,
  training: boolean,
): CellBatch {
  if (head === 'AlbertForMultipleChoice')
    throw new InputError(
      'bench does not time AlbertForMultipleChoice (its inputs are [B, choices, S]); pick another head',
    );
  if (config.vocab_size <= FIRST_ORDINARY_ID)
    throw new InputError(`config.vocab_size = ${config.vocab_size} leaves no ordinary token ids to draw`);
  const rng = mulberry32(cellSeed(seed, batch, seq));
  const n = batch * seq;
  const inputs: AlbertInputs = {
    input_ids: new Tensor('int64', ints(rng, n, FIRST_ORDINARY_ID, config.vocab_size - 1), [batch, seq]),
    attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [batch, seq]),
    token_type_ids: new Tensor('int64', new BigInt64Array(n), [batch, seq]),
  };
  if (!training) return { inputs };
  const numLabels = config.num_labels;
  const tokenIds = () => new Tensor('int64', ints(rng, n, FIRST_ORDINARY_ID, config.vocab_size - 1), [batch, seq]);
  const spec = HEADS[head];
  switch (spec.loss) {
    case 'none':
      return {
        inputs,
        cotangents: {
          last_hidden_state: Tensor.f32(normals(rng, n * config.hidden_size), [batch, seq, config.hidden_size]),
          pooler_output: Tensor.f32(normals(rng, batch * config.hidden_size), [batch, config.hidden_size]),
        },
      };
    case 'sequence':
    case 'choice': // not reached: multiple choice is refused above
      inputs.labels = new Tensor('int64', ints(rng, batch, 0, numLabels - 1), [batch]);
      return { inputs };
    case 'tokens':
      inputs.labels = spec.mlm ? tokenIds() : new Tensor('int64', ints(rng, n, 0, numLabels - 1), [batch, seq]);
      return { inputs };
    case 'pretraining':
      inputs.labels = tokenIds();
      inputs.sentence_order_label = new Tensor('int64', ints(rng, batch, 0, 1), [batch]);
      return { inputs };
    case 'span':
      inputs.start_positions = new Tensor('int64', ints(rng, batch, 0, seq - 1), [batch]);
      inputs.end_positions = new Tensor('int64', ints(rng, batch, 0, seq - 1), [batch]);
      return { inputs };
  }
}
