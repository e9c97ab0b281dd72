// AlbertEmbeddings: word + token_type + position embeddings, then LayerNorm and dropout (training graphs only).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L49-L107 (class AlbertEmbeddings, forward)
import type { WeightMap } from '@albertjs/core';
import { f, i } from '../graph/attrs.js';
import { MS_DOMAIN } from '../graph/proto.js';
import type { BuildContext } from './context.js';

export interface EmbeddingInputs {
  /** int64 [N, S] ids (N = batch, or batch × choices). */
  inputIds?: string;
  /** float [N, S, E], instead of inputIds. */
  inputsEmbeds?: string;
  /** int64 [N, S] */
  tokenTypeIds: string;
  /** int64 [N, S]; absent = 0..S-1. */
  positionIds?: string;
}

const INT32 = 6;

/** Returns the [N, S, E] embedding output. `w` is the `embeddings` view. */
export function embeddings(ctx: BuildContext, w: WeightMap, x: EmbeddingInputs): string {
  const { g, config: c } = ctx;
  const E = c.embedding_size;
  const word = ctx.param(w, 'word_embeddings.weight', [c.vocab_size, E]);
  const pos = ctx.param(w, 'position_embeddings.weight', [c.max_position_embeddings, E]);
  const tt = ctx.param(w, 'token_type_embeddings.weight', [c.type_vocab_size, E]);
  if (ctx.optimized && x.inputIds) {
    // com.microsoft EmbedLayerNormalization: gathers, sums and normalizes in one kernel (int32 ids).
    const i32 = (v: string) => g.op('Cast', [v], { to: i(INT32) });
    const ln = w.pp('LayerNorm');
    // outputs: embedding [N, S, E], mask_index [N] (unused: no mask is given here).
    return g.opN(
      'EmbedLayerNormalization',
      [
        i32(x.inputIds),
        i32(x.tokenTypeIds),
        word,
        pos,
        tt,
        ctx.param(ln, 'weight', [E]),
        ctx.param(ln, 'bias', [E]),
        '',
        x.positionIds ? i32(x.positionIds) : '',
      ],
      { epsilon: f(c.layer_norm_eps) },
      { domain: MS_DOMAIN, outputs: 2 },
    )[0]!;
  }
  const src = x.inputIds ?? x.inputsEmbeds!;
  const inputsEmbeds = x.inputIds ? g.op('Gather', [word, x.inputIds], { axis: i(0) }) : x.inputsEmbeds!; // [N, S, E]
  let positions: string; // [N, S, E] or [S, E]
  if (x.positionIds) positions = g.op('Gather', [pos, x.positionIds], { axis: i(0) });
  else {
    const S = g.op('Shape', [src], { start: i(1), end: i(2) }); // [1]
    const range = g.op('Range', [g.i64([0], []), g.op('Squeeze', [S, g.i64([0])]), g.i64([1], [])]); // [S]
    positions = g.op('Gather', [pos, range], { axis: i(0) }); // [S, E]
  }
  const types = g.op('Gather', [tt, x.tokenTypeIds], { axis: i(0) }); // [N, S, E]
  const sum = g.op('Add', [g.op('Add', [inputsEmbeds, types]), positions]);
  const normed = ctx.layerNorm(sum, w, 'LayerNorm', E); // [N, S, E]
  return ctx.dropout(normed, 'embeddings', c.hidden_dropout_prob, ['rows', 'sequence', E], (n, s) => [n, s, E]);
}
