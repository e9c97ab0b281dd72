// The onnx device step: core's prepared inputs as onnxruntime feeds (int64 ids, float32 embeddings),
// named as the graph inputs (transformers' forward() arguments).
import type { PreparedInputs } from '@albertjs/core';

export type Feeds = Record<string, { data: BigInt64Array | Float32Array; dims: number[] }>;

const i64 = (a: Int32Array) => BigInt64Array.from(a, (v) => BigInt(v));

/** Feeds for a graph with `headMask` [layers, heads] when given; position_ids only when the caller gave them. */
export function toFeeds(p: PreparedInputs, headMask?: { data: Float32Array; dims: number[] }): Feeds {
  const dims = [...p.lead, p.seq]; // [B, S] or [B, C, S]
  const feeds: Feeds = {};
  if (p.inputsEmbeds)
    feeds.inputs_embeds = { data: p.inputsEmbeds, dims: [...dims, p.inputsEmbeds.length / (p.batch * p.seq)] };
  else feeds.input_ids = { data: i64(p.inputIds!), dims };
  feeds.attention_mask = { data: i64(p.attentionMask), dims };
  feeds.token_type_ids = { data: i64(p.tokenTypeIds), dims };
  if (p.hasPositionIds) feeds.position_ids = { data: i64(p.positionIds), dims };
  if (headMask) feeds.head_mask = headMask;
  return feeds;
}
