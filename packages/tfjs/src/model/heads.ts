// The six task heads on top of AlbertModel, with their losses. Ports AlbertForPreTraining,
// AlbertMLMHead, AlbertSOPHead, AlbertForMaskedLM, AlbertForSequenceClassification,
// AlbertForTokenClassification, AlbertForQuestionAnswering and AlbertForMultipleChoice:
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/models/albert/modeling_albert.py (classes AlbertForPreTraining … AlbertForMultipleChoice)
import { type HeadName, headHasPooler, IGNORE_INDEX, InputError } from '@albertjs/core';
import { activation } from '../activations.js';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import { type AlbertModelOutput, albertModel, type ModelInputs } from './albert.js';
import type { RunContext } from './context.js';
import { bceWithLogits, crossEntropy, mse } from './losses.js';
import { dropout, embeddingLookup, layerNorm, linear } from './ops.js';

/** Labels prepared on the host by inputs.ts. */
export interface HeadLabels {
  /** Integer class targets (MLM, single-label, token, multiple choice), flattened. */
  ids?: Int32Array;
  /** Float targets (regression, multi-label), shaped as the logits. */
  floats?: tf.Tensor;
  sentenceOrder?: Int32Array;
  /** Already clamped to [0, S]. */
  startPositions?: Int32Array;
  endPositions?: Int32Array;
}

export interface HeadInputs extends ModelInputs {
  labels: HeadLabels;
  /** Multiple choice: C (inputs were flattened from [B, C, S] to [B·C, S]). */
  numChoices?: number;
}

export interface HeadResult {
  /** HF-named output fields (without hidden_states / attentions). */
  fields: Record<string, tf.Tensor>;
  loss?: tf.Tensor;
  base: AlbertModelOutput;
}

/** AlbertMLMHead: dense → act → LayerNorm → decoder (tied to the word embeddings) + bias. */
function mlmHead(p: ParamView, seq: tf.Tensor, ctx: RunContext): tf.Tensor {
  const h = activation(ctx.config.hidden_act)(linear(seq, p.pp('dense'))); // [B, S, E]
  return linear(layerNorm(h, p.pp('LayerNorm'), ctx.config.layer_norm_eps), p.pp('decoder')); // [B, S, V]
}

/**
 * The MLM head and its loss. With `ctx.lossOnly`, the hidden states of the labelled positions are
 * gathered first ([B, S, H] → [N, H]) so the transform and the tied decoder's [·, V] logits run on N
 * rows (~15 % of the positions) instead of B·S: same loss and gradients (the ignored rows add nothing
 * to either), a fraction of the work.
 */
function mlmLogitsAndLoss(
  p: ParamView,
  seq: tf.Tensor,
  ids: Int32Array | undefined,
  ctx: RunContext,
): { logits: tf.Tensor; loss?: tf.Tensor } {
  if (!ctx.lossOnly || !ids) {
    const logits = mlmHead(p, seq, ctx);
    return { logits, ...(ids ? { loss: crossEntropy(logits, ids) } : {}) };
  }
  const [B, S, H] = seq.shape as [number, number, number];
  const V = ctx.config.vocab_size;
  if (ids.length !== B * S)
    throw new InputError(`labels have ${ids.length} elements but the logits have ${B * S} rows of ${V} classes`);
  const rows: number[] = [];
  const targets: number[] = [];
  for (let r = 0; r < ids.length; r++) {
    const t = ids[r]!;
    if (t === IGNORE_INDEX) continue;
    if (!Number.isInteger(t) || t < 0 || t >= V)
      throw new InputError(`labels[${r}] = ${t} is out of range [0, ${V}) (use ${IGNORE_INDEX} to ignore a position)`);
    rows.push(r);
    targets.push(t);
  }
  if (rows.length === 0) {
    const logits = mlmHead(p, seq, ctx);
    return { logits, loss: crossEntropy(logits, ids) }; // every target ignored: NaN, as torch
  }
  const flat = tf.reshape(seq, [B * S, H]); // [B·S, H]
  const picked = embeddingLookup(flat, tf.tensor1d(rows, 'int32')); // [N, H]; gradient scattered back to the rows
  const logits = mlmHead(p, picked, ctx); // [N, V]
  return { logits, loss: crossEntropy(logits, targets) };
}

function classifierDropout(ctx: RunContext): number {
  return ctx.config.classifier_dropout_prob ?? ctx.config.hidden_dropout_prob;
}

export function runHead(head: HeadName, root: ParamView, inp: HeadInputs, ctx: RunContext): HeadResult {
  const base = albertModel(head === 'AlbertModel' ? root : root.pp('albert'), inp, ctx, headHasPooler(head));
  const seq = base.lastHiddenState; // [B, S, H]
  const L = inp.labels;
  const c = ctx.config;
  switch (head) {
    case 'AlbertModel':
      return {
        fields: { last_hidden_state: seq, ...(base.poolerOutput ? { pooler_output: base.poolerOutput } : {}) },
        base,
      };
    case 'AlbertForPreTraining': {
      const mlm = mlmLogitsAndLoss(root.pp('predictions'), seq, L.sentenceOrder ? L.ids : undefined, ctx);
      const prediction_logits = mlm.logits; // [B, S, V], or [N, V] over the labelled rows when lossOnly
      const pooled = dropout(base.poolerOutput!, c.classifier_dropout_prob, ctx);
      const sop_logits = linear(pooled, root.pp('sop_classifier.classifier')); // [B, 2]
      const loss =
        mlm.loss && L.sentenceOrder
          ? tf.add(mlm.loss, crossEntropy(sop_logits, L.sentenceOrder, undefined, 'sentence_order_label'))
          : undefined;
      return { fields: { prediction_logits, sop_logits }, ...(loss ? { loss } : {}), base };
    }
    case 'AlbertForMaskedLM': {
      const { logits, loss } = mlmLogitsAndLoss(root.pp('predictions'), seq, L.ids, ctx); // logits as in AlbertForPreTraining
      return { fields: { logits }, ...(loss ? { loss } : {}), base };
    }
    case 'AlbertForSequenceClassification': {
      const logits = linear(dropout(base.poolerOutput!, c.classifier_dropout_prob, ctx), root.pp('classifier')); // [B, L]
      let loss: tf.Tensor | undefined;
      if (L.ids) loss = crossEntropy(logits, L.ids);
      else if (L.floats)
        loss =
          c.num_labels === 1 || c.problem_type === 'regression'
            ? mse(tf.reshape(logits, [-1]), tf.reshape(L.floats, [-1]))
            : bceWithLogits(logits, L.floats);
      return { fields: { logits }, ...(loss ? { loss } : {}), base };
    }
    case 'AlbertForTokenClassification': {
      const logits = linear(dropout(seq, classifierDropout(ctx), ctx), root.pp('classifier')); // [B, S, L]
      return { fields: { logits }, ...(L.ids ? { loss: crossEntropy(logits, L.ids) } : {}), base };
    }
    case 'AlbertForQuestionAnswering': {
      const logits = linear(seq, root.pp('qa_outputs')); // [B, S, 2]
      const [B, S] = logits.shape as [number, number, number];
      const [start, end] = tf.split(logits, 2, -1) as [tf.Tensor, tf.Tensor];
      const start_logits = tf.reshape(start, [B, S]); // [B, S]
      const end_logits = tf.reshape(end, [B, S]); // [B, S]
      const loss =
        L.startPositions && L.endPositions
          ? tf.div(
              tf.add(
                crossEntropy(start_logits, L.startPositions, S, 'start_positions'),
                crossEntropy(end_logits, L.endPositions, S, 'end_positions'),
              ),
              2,
            )
          : undefined;
      return { fields: { start_logits, end_logits }, ...(loss ? { loss } : {}), base };
    }
    case 'AlbertForMultipleChoice': {
      const flatLogits = linear(dropout(base.poolerOutput!, c.classifier_dropout_prob, ctx), root.pp('classifier')); // [B·C, 1]
      const logits = tf.reshape(flatLogits, [-1, inp.numChoices!]); // [B, C]
      return { fields: { logits }, ...(L.ids ? { loss: crossEntropy(logits, L.ids) } : {}), base };
    }
  }
}
