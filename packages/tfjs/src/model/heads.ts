// The task heads on top of AlbertModel, built from core's HEADS table (MLM head, a linear layer on the
// pooled output or on every token), with their differentiable losses. Ports AlbertForPreTraining …
// AlbertForMultipleChoice:
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L417-L940
import {
  type FieldSource,
  HEADS,
  type HeadName,
  IGNORE_INDEX,
  InputError,
  linearDropout,
  type PreparedLabels,
} from '@albertjs/core';
import { activation } from '../activations.js';
import type { ParamView } from '../params.js';
import { tf } from '../tf.js';
import { type AlbertModelOutput, albertModel, type ModelInputs } from './albert.js';
import type { RunContext } from './context.js';
import { bceWithLogits, crossEntropy, mse } from './losses.js';
import { dropout, embeddingLookup, layerNorm, linear } from './ops.js';

export interface HeadInputs extends ModelInputs {
  /** Labels prepared on the host by core's prepareInputs (float targets as a tensor shaped as the logits). */
  labels: Omit<PreparedLabels, 'floats'> & { floats?: tf.Tensor };
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

/** Runs the projections HEADS[head] lists on the base model and names them as the HF output fields, with the loss. */
export function runHead(head: HeadName, root: ParamView, inp: HeadInputs, ctx: RunContext): HeadResult {
  const spec = HEADS[head];
  const c = ctx.config;
  const base = albertModel(spec.basePrefix ? root.pp('albert') : root, inp, ctx, spec.pooler);
  const seq = base.lastHiddenState; // [B, S, H]
  const L = inp.labels;
  const proj: Partial<Record<FieldSource, tf.Tensor>> = { last: seq };
  if (base.poolerOutput) proj.pooled = base.poolerOutput; // [B, H]
  let loss: tf.Tensor | undefined;
  if (spec.mlm) {
    // AlbertForPreTraining has a loss only with both labels and sentence_order_label.
    const ids = spec.loss === 'pretraining' && !L.sentenceOrder ? undefined : L.ids;
    const mlm = mlmLogitsAndLoss(root.pp('predictions'), seq, ids, ctx);
    proj.mlm = mlm.logits; // [B, S, V], or [N, V] over the labelled rows when lossOnly
    loss = mlm.loss;
  }
  if (spec.onPooled)
    proj.onPooled = linear(
      dropout(base.poolerOutput!, linearDropout(spec.onPooled, c), ctx),
      root.pp(spec.onPooled.key),
    ); // [B, n]
  if (spec.onTokens)
    proj.onTokens = linear(dropout(seq, linearDropout(spec.onTokens, c), ctx), root.pp(spec.onTokens.key)); // [B, S, n]
  const fields: Record<string, tf.Tensor> = {};
  for (const f of spec.fields) {
    let t = proj[f.from];
    if (!t) continue;
    if (f.column !== undefined) {
      const [B, S] = t.shape as [number, number, number];
      t = tf.reshape(tf.slice(t, [0, 0, f.column], [B, S, 1]), [B, S]); // [B, S, n] → column [B, S]
    } else if (head === 'AlbertForMultipleChoice') t = tf.reshape(t, [-1, inp.numChoices!]); // [B·C, 1] → [B, C]
    fields[f.name] = t;
  }
  switch (spec.loss) {
    case 'pretraining':
      if (loss && L.sentenceOrder)
        loss = tf.add(loss, crossEntropy(fields.sop_logits!, L.sentenceOrder, undefined, 'sentence_order_label'));
      else loss = undefined;
      break;
    case 'tokens':
    case 'choice':
      if (!spec.mlm && L.ids) loss = crossEntropy(fields.logits!, L.ids);
      break;
    case 'sequence':
      if (L.ids) loss = crossEntropy(fields.logits!, L.ids);
      else if (L.floats)
        loss =
          L.problemType === 'regression'
            ? mse(tf.reshape(fields.logits!, [-1]), tf.reshape(L.floats, [-1]))
            : bceWithLogits(fields.logits!, L.floats);
      break;
    case 'span':
      if (L.startPositions && L.endPositions) {
        const S = fields.start_logits!.shape[1]!; // clamped positions equal to S are ignored
        loss = tf.div(
          tf.add(
            crossEntropy(fields.start_logits!, L.startPositions, S, 'start_positions'),
            crossEntropy(fields.end_logits!, L.endPositions, S, 'end_positions'),
          ),
          2,
        );
      }
      break;
    case 'none':
      break;
  }
  return { fields, ...(loss ? { loss } : {}), base };
}
