// The task heads on top of AlbertModel: MLM head, SOP head, sequence/token classifiers, QA span head,
// multiple choice. https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/modeling_albert.py
// (classes AlbertMLMHead, AlbertSOPHead, AlbertForSequenceClassification, AlbertForTokenClassification,
// AlbertForQuestionAnswering, AlbertForMultipleChoice)
import type { HeadName, WeightMap } from '@albertjs/core';
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

/** Emits `head`'s outputs from the base model's values. `choices` is the [1] num_choices value (MC only). */
export function headOutputs(
  ctx: BuildContext,
  head: HeadName,
  w: WeightMap,
  base: AlbertModelResult,
  choices?: string,
): HeadValues {
  const { g, config: c } = ctx;
  const H = c.hidden_size;
  const seq = base.last;
  const pooled = () => {
    if (!base.pooled) throw new Error(`${head} needs the pooler`);
    return base.pooled;
  };
  const BS = ['batch', 'sequence'];
  switch (head) {
    case 'AlbertModel':
      return {
        last_hidden_state: { value: seq, dims: [...BS, H] },
        pooler_output: { value: pooled(), dims: ['batch', H] },
      };
    case 'AlbertForPreTraining':
      return {
        prediction_logits: { value: mlmHead(ctx, w, seq), dims: [...BS, c.vocab_size] },
        sop_logits: { value: ctx.linear(pooled(), w, 'sop_classifier.classifier', H, 2), dims: ['batch', 2] },
      };
    case 'AlbertForMaskedLM':
      return { logits: { value: mlmHead(ctx, w, seq), dims: [...BS, c.vocab_size] } };
    case 'AlbertForSequenceClassification':
      return {
        logits: { value: ctx.linear(pooled(), w, 'classifier', H, c.num_labels), dims: ['batch', c.num_labels] },
      };
    case 'AlbertForTokenClassification':
      return { logits: { value: ctx.linear(seq, w, 'classifier', H, c.num_labels), dims: [...BS, c.num_labels] } };
    case 'AlbertForQuestionAnswering': {
      const both = ctx.linear(seq, w, 'qa_outputs', H, 2); // [N, S, 2]
      const [s, e] = g.opN('Split', [both, g.i64([1, 1])], { axis: i(-1) }, { outputs: 2 }) as [string, string]; // [N, S, 1] each
      const sq = (v: string) => g.op('Squeeze', [v, g.i64([-1])]); // [N, S]
      return { start_logits: { value: sq(s), dims: BS }, end_logits: { value: sq(e), dims: BS } };
    }
    case 'AlbertForMultipleChoice': {
      const flat = ctx.linear(pooled(), w, 'classifier', H, 1); // [B*C, 1]
      const shape = g.op('Concat', [g.i64([-1]), choices!], { axis: i(0) });
      return { logits: { value: g.op('Reshape', [flat, shape]), dims: ['batch', 'num_choices'] } }; // [B, C]
    }
  }
}
