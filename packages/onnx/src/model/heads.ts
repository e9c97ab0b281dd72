// The task heads on top of AlbertModel, from core's HEADS table: the MLM head, a linear layer on the
// pooled output (SOP, sequence classification, multiple choice) or on every token (token classification,
// QA span logits split into start / end).
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L512-L545 (AlbertMLMHead, AlbertSOPHead)
import { BackendError, type FieldSource, HEADS, type HeadName, linearDropout, type WeightMap } from '@albertjs/core';
import { i } from '../graph/attrs.js';
import { activation } from './activations.js';
import type { AlbertModelResult } from './albert.js';
import type { BuildContext } from './context.js';
import { emitLinear } from './linear.js';

/** Head outputs by HF field name, plus the values' symbolic shapes. */
export type HeadValues = Record<string, { value: string; dims: (number | string)[] }>;

/**
 * AlbertMLMHead: dense → act → LayerNorm → decoder (tied to the word embeddings: the same
 * initializer, used through Gemm(transB=1) so it is stored once).
 */
function mlmHead(ctx: BuildContext, w: WeightMap, seq: string): string {
  const { g, config: c } = ctx;
  const E = c.embedding_size;
  const V = c.vocab_size;
  const p = w.pp('predictions');
  const hidden = ctx.layerNorm(
    activation(ctx.root, c.hidden_act, ctx.linear(seq, p, 'dense', c.hidden_size, E)),
    p,
    'LayerNorm',
    E,
  ); // [N, S, E]
  const bias = ctx.param(p, 'bias', [V]);
  const [dw, dname] = c.tie_word_embeddings
    ? [w.pp('albert.embeddings'), 'word_embeddings.weight']
    : [p, 'decoder.weight'];
  if (ctx.opts.dtype === 'int8') {
    return emitLinear(
      ctx.root,
      hidden,
      ctx.matmulWeights(`${dw.prefix}.${dname}`, () => dw.f32(dname, [V, E]).data, E, V, bias),
    ); // [N, S, V]
  }
  const decoder = ctx.param(dw, dname, [V, E]);
  const flat = g.op('Reshape', [hidden, g.i64([-1, E])]); // [N*S, E]
  const logits = g.op('Gemm', [flat, decoder, bias], { transB: i(1) }); // [N*S, V]
  const outShape = g.op('Concat', [g.op('Shape', [hidden], { start: i(0), end: i(2) }), g.i64([V])], { axis: i(0) });
  return g.op('Reshape', [logits, outShape]); // [N, S, V]
}

/** Emits `head`'s outputs (HEADS[head]: MLM head, linear layer on the pooled output or on every token) from the base model's values. `choices` is the [1] num_choices value (MC only). */
export function headOutputs(
  ctx: BuildContext,
  head: HeadName,
  w: WeightMap,
  base: AlbertModelResult,
  choices?: string,
): HeadValues {
  const { g, config: c } = ctx;
  const spec = HEADS[head];
  const H = c.hidden_size;
  const BS = ['batch', 'sequence'];
  const pooled = () => {
    if (!base.pooled) throw new BackendError(`${head} needs the pooler`);
    return base.pooled;
  };
  const src: Partial<Record<FieldSource, () => { value: string; dims: (number | string)[] }>> = {
    last: () => ({ value: base.last, dims: [...BS, H] }),
    pooled: () => ({ value: pooled(), dims: ['batch', H] }),
    mlm: () => ({ value: mlmHead(ctx, w, base.last), dims: [...BS, c.vocab_size] }),
  };
  const onPooled = spec.onPooled;
  if (onPooled) {
    const n = onPooled.out(c);
    src.onPooled = () => {
      const dropped = ctx.dropout(pooled(), 'classifier', linearDropout(onPooled, c), ['rows', H], (rows) => [rows, H]);
      const logits = ctx.linear(dropped, w, onPooled.key, H, n); // [N, n]
      if (head !== 'AlbertForMultipleChoice') return { value: logits, dims: ['batch', n] };
      const shape = g.op('Concat', [g.i64([-1]), choices!], { axis: i(0) });
      return { value: g.op('Reshape', [logits, shape]), dims: ['batch', 'num_choices'] }; // [B·C, 1] → [B, C]
    };
  }
  const onTokens = spec.onTokens;
  const split: string[] = [];
  if (onTokens) {
    const n = onTokens.out(c);
    const dropped = () =>
      ctx.dropout(base.last, 'classifier', linearDropout(onTokens, c), ['rows', 'sequence', H], (rows, s) => [
        rows,
        s,
        H,
      ]);
    const tokens = () => ctx.linear(dropped(), w, onTokens.key, H, n); // [N, S, n]
    src.onTokens = () => ({ value: tokens(), dims: [...BS, n] });
    if (spec.fields.some((f) => f.column !== undefined)) {
      const cols = g.opN('Split', [tokens(), g.i64(Array(n).fill(1))], { axis: i(-1) }, { outputs: n }) as string[]; // n × [N, S, 1]
      for (const col of cols) split.push(g.op('Squeeze', [col, g.i64([-1])])); // [N, S]
    }
  }
  const out: HeadValues = {};
  for (const f of spec.fields)
    out[f.name] = f.column !== undefined ? { value: split[f.column]!, dims: BS } : src[f.from]!();
  return out;
}
