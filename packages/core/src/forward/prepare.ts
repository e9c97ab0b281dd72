// forward() inputs checked once for every backend and turned into one host-side description: rows and
// sequence length, ids or embeddings, the attention mask as 0/1, token types, positions, the head mask
// as [num_hidden_layers, heads] and the labels of the head's loss. Every problem is an InputError that
// names the input and the value. Semantics of transformers 5.17 (the version the fixtures come from):
// - AlbertModel.forward: exactly one of input_ids / inputs_embeds, default positions 0..S-1 and token types 0
//   https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L372-L392
// - the 2-D attention_mask becomes bool (any non-zero value attends), masking_utils._preprocess_mask_arguments
//   https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/masking_utils.py#L825
// - AlbertForMultipleChoice flattens [B, C, S] to [B·C, S]
//   https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L914-L920
import type { AlbertInputs } from '../backend.js';
import type { AlbertConfig, ProblemType } from '../config.js';
import { InputError } from '../errors.js';
import { IGNORE_INDEX, inferProblemType } from '../heads/losses.js';
import type { HeadName } from '../heads/names.js';
import { HEADS } from '../heads/table.js';
import { type IdsLike, numel, shapeStr, Tensor, toFloat32, toInt32Ids } from '../tensor.js';

export interface PreparedLabels {
  /** Integer targets, flattened: MLM / token [batch·S] (-100 ignored), single-label / multiple choice [B]. */
  ids?: Int32Array;
  /** Float targets (regression, multi-label) with the logits' element count; `floatShape` is their shape. */
  floats?: Float32Array;
  floatShape?: number[];
  /** Sequence classification: the problem type the labels select (config.problem_type or inferred). */
  problemType?: ProblemType;
  /** AlbertForPreTraining: [B]. */
  sentenceOrder?: Int32Array;
  /** QA: [B], clamped to [0, S] (S is ignored by the loss). */
  startPositions?: Int32Array;
  endPositions?: Int32Array;
}

export interface PreparedInputs {
  head: HeadName;
  /** Rows the encoder sees: B, or B·C for multiple choice. */
  batch: number;
  seq: number;
  /** Leading dims of the inputs: [B], or [B, C] for multiple choice. */
  lead: number[];
  /** [batch·seq] ids, when input_ids were given. */
  inputIds?: Int32Array;
  /** [batch·seq·embedding_size], when inputs_embeds were given. */
  inputsEmbeds?: Float32Array;
  /** [batch·seq]: 1 attends, 0 is masked (transformers' `attention_mask.to(torch.bool)`); all ones by default. */
  attentionMask: Int32Array;
  /** Whether attention_mask was given (a graph may skip the mask otherwise). */
  hasAttentionMask: boolean;
  /** [batch·seq], zeros by default. */
  tokenTypeIds: Int32Array;
  /** [batch·seq]: given (a [1, S] row broadcast over the batch) or 0..S-1. */
  positionIds: Int32Array;
  /** Whether position_ids were given. */
  hasPositionIds: boolean;
  /** [num_hidden_layers, heads] (a [heads] mask repeated per layer), as float32. */
  headMask?: Float32Array;
  labels: PreparedLabels;
}

/** The one message for "both or neither of input_ids / inputs_embeds" (transformers' wording). */
export const IDS_OR_EMBEDS = 'You must specify exactly one of input_ids or inputs_embeds';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function checkRange(name: string, data: Int32Array, hi: number, why: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= hi) throw new InputError(`${name}[${i}] = ${v} is out of range [0, ${hi}) (${why})`);
  }
}

/** Checks every dim of a caller's tensor before its data is trusted. */
function checkDims(name: string, shape: readonly number[]): void {
  for (const d of shape)
    if (!Number.isSafeInteger(d) || d < 0)
      throw new InputError(`${name} has shape ${shapeStr(shape)}: dimension ${d} is not an integer ≥ 0`);
}

/** An int input of the ids' shape; flat typed arrays and flat number[] take that shape. */
function sameShapeIds(name: string, v: IdsLike, shape: readonly number[]): Tensor<Int32Array> {
  const flat = v instanceof BigInt64Array || v instanceof Int32Array;
  const t = toInt32Ids(name, v, flat ? shape : undefined);
  if (same(t.shape, shape)) return t;
  if (Array.isArray(v) && !Array.isArray(v[0]) && t.data.length === numel(shape))
    return new Tensor('int32', t.data, shape);
  return t;
}

function shapeError(name: string, got: readonly number[], want: readonly number[]): InputError {
  return new InputError(`${name} has shape ${shapeStr(got)}, expected ${shapeStr(want)} (the shape of the ids)`);
}

/** position_ids of the ids' shape, or [1, S] / [S] broadcast over the batch (as torch broadcasts them). */
function positions(v: IdsLike, shape: readonly number[], S: number): Int32Array {
  const t = sameShapeIds('position_ids', v, shape);
  if (same(t.shape, shape)) return t.data;
  const row = t.shape[t.shape.length - 1] === S && t.shape.slice(0, -1).every((d) => d === 1);
  if (!row)
    throw new InputError(
      `position_ids has shape ${shapeStr(t.shape)}, expected ${shapeStr(shape)} (the shape of the ids) or [1, ${S}]`,
    );
  const n = numel(shape);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += S) out.set(t.data, i); // [1, S] → [batch, S]
  return out;
}

/** [heads] or [num_hidden_layers, heads] of any numeric dtype → float32 [L, H] (transformers casts it to the model dtype). */
function headMaskOf(c: AlbertConfig, h: unknown): Float32Array {
  const nh = c.num_attention_heads;
  const nl = c.num_hidden_layers;
  if (!(h instanceof Tensor) || h.dtype === 'bool')
    throw new InputError(
      `head_mask must be a numeric Tensor, got ${h instanceof Tensor ? `dtype ${h.dtype}` : typeof h}`,
    );
  checkDims('head_mask', h.shape);
  const f = toFloat32(h).data;
  if (same(h.shape, [nh])) return Float32Array.from({ length: nl * nh }, (_, i) => f[i % nh]!);
  if (same(h.shape, [nl, nh])) return Float32Array.from(f);
  throw new InputError(
    `head_mask must be [${nh}] (num_attention_heads) or [${nl}, ${nh}] (num_hidden_layers, num_attention_heads), got ${shapeStr(h.shape)}`,
  );
}

const isFloat = (t: Tensor) =>
  t.dtype === 'float32' || t.dtype === 'float64' || t.dtype === 'float16' || t.dtype === 'bfloat16';

/** Integer class ids of `count` elements; float labels are a dtype error. */
function intLabels(head: HeadName, name: string, v: unknown, count: number, why: string): Int32Array {
  if (v instanceof Tensor && isFloat(v))
    throw new InputError(`${head}: ${name} must be integer class ids (int64/int32) ${why}, got dtype ${v.dtype}`);
  const flat = v instanceof BigInt64Array || v instanceof Int32Array;
  const t = toInt32Ids(name, v as IdsLike, flat ? [(v as Int32Array).length] : undefined);
  if (t.data.length !== count)
    throw new InputError(
      `${head}: ${name} has ${t.data.length} elements (shape ${shapeStr(t.shape)}), expected ${count} ${why}`,
    );
  return t.data;
}

/** Class ids must lie in [0, classes) or equal `ignore` (-100, torch's CrossEntropyLoss ignore_index). */
function checkClasses(
  name: string,
  ids: Int32Array,
  classes: number,
  ignore: number | undefined = IGNORE_INDEX,
): Int32Array {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v !== ignore && (v < 0 || v >= classes))
      throw new InputError(
        `${name}[${i}] = ${v} is out of range [0, ${classes})${ignore === undefined ? '' : ` (use ${ignore} to ignore a position)`}`,
      );
  }
  return ids;
}

/**
 * The labels of `head`'s loss in `inp`, checked: B examples, `rows` encoder rows (B·C for multiple choice)
 * of S tokens.
 */
export function prepareLabels(
  head: HeadName,
  c: AlbertConfig,
  inp: AlbertInputs,
  B: number,
  rows: number,
  S: number,
): PreparedLabels {
  const out: PreparedLabels = {};
  const labels = inp.labels;
  const perToken = `(one per token, [${rows}, ${S}])`;
  const perExample = `(one per example, [${B}])`;
  switch (HEADS[head].loss) {
    case 'none':
      if (labels !== undefined) throw new InputError(`${head} takes no labels; use a head such as AlbertForMaskedLM`);
      break;
    case 'pretraining':
      if (labels !== undefined)
        out.ids = checkClasses('labels', intLabels(head, 'labels', labels, rows * S, perToken), c.vocab_size);
      if (inp.sentence_order_label !== undefined)
        out.sentenceOrder = checkClasses(
          'sentence_order_label',
          intLabels(head, 'sentence_order_label', inp.sentence_order_label, B, perExample),
          2,
        );
      break;
    case 'tokens': {
      const classes = HEADS[head].mlm ? c.vocab_size : c.num_labels;
      if (labels !== undefined)
        out.ids = checkClasses('labels', intLabels(head, 'labels', labels, rows * S, perToken), classes);
      break;
    }
    case 'choice':
      if (labels !== undefined)
        out.ids = checkClasses('labels', intLabels(head, 'labels', labels, B, perExample), rows / B);
      break;
    case 'sequence': {
      if (labels === undefined) break;
      const t = labelTensor('labels', labels);
      checkDims('labels', t.shape);
      const pt = inferProblemType(c, t);
      out.problemType = pt;
      if (pt === 'single_label_classification') {
        const ids = intLabels(head, 'labels', labels, B, `for single_label_classification ([${B}])`);
        out.ids = checkClasses('labels', ids, c.num_labels);
        break;
      }
      const L = c.num_labels;
      const want = pt === 'regression' && L === 1 ? [B] : [B, L];
      if (t.size !== numel(want))
        throw new InputError(`${head}: labels have shape ${shapeStr(t.shape)}, expected ${shapeStr(want)} for ${pt}`);
      out.floats = toFloat32(t).data;
      out.floatShape = [B, L];
      break;
    }
    case 'span': {
      const clamp = (a: Int32Array) => a.map((v) => Math.min(Math.max(v, 0), S));
      if (inp.start_positions !== undefined)
        out.startPositions = clamp(intLabels(head, 'start_positions', inp.start_positions, B, `([${B}])`));
      if (inp.end_positions !== undefined)
        out.endPositions = clamp(intLabels(head, 'end_positions', inp.end_positions, B, `([${B}])`));
      break;
    }
  }
  return out;
}

/**
 * Sequence-classification labels as a tensor: float tensors and arrays holding a non-integer stay float
 * (regression, multi-label targets), everything else becomes int32 class ids.
 */
export function labelTensor(name: string, v: AlbertInputs['labels']): Tensor {
  if (v instanceof Tensor)
    return v.dtype === 'float32' || v.dtype === 'float64' ? v : toInt32Ids(name, v as Tensor<Int32Array>);
  if (Array.isArray(v)) {
    const flat = (v as unknown[]).flat(3);
    if (flat.some((x) => typeof x === 'number' && !Number.isInteger(x))) {
      if (flat.some((x) => typeof x !== 'number'))
        throw new InputError(
          `${name} must hold only numbers, got ${JSON.stringify(flat.find((x) => typeof x !== 'number'))}`,
        );
      return Tensor.f32(flat as number[], [flat.length]);
    }
  }
  return toInt32Ids(name, v as IdsLike);
}

const hasLabels = (inp: AlbertInputs) =>
  inp.labels !== undefined ||
  inp.sentence_order_label !== undefined ||
  inp.start_positions !== undefined ||
  inp.end_positions !== undefined;

function needConfig(c: AlbertConfig | undefined, what: string): AlbertConfig {
  if (!c) throw new InputError(`${what} needs the model config (pass options.config when loading the model)`);
  return c;
}

/**
 * Validates `inputs` for `head` under `config` and returns the host-side description every backend runs on.
 * Without a config (a third-party .onnx file) ranges and widths go unchecked, and head_mask / labels are refused.
 */
export function prepareInputs(head: HeadName, c: AlbertConfig | undefined, inp: AlbertInputs): PreparedInputs {
  if (typeof inp !== 'object' || inp === null) throw new InputError(`forward() inputs must be an object, got ${inp}`);
  const rank = head === 'AlbertForMultipleChoice' ? 3 : 2;
  const axes = rank === 3 ? '[batch, num_choices, seq]' : '[batch, seq]';
  if ((inp.input_ids === undefined) === (inp.inputs_embeds === undefined)) throw new InputError(IDS_OR_EMBEDS);
  let shape: number[];
  let inputIds: Int32Array | undefined;
  let inputsEmbeds: Float32Array | undefined;
  if (inp.input_ids !== undefined) {
    const t = toInt32Ids('input_ids', inp.input_ids);
    checkDims('input_ids', t.shape);
    if (t.shape.length !== rank)
      throw new InputError(`${head}: input_ids must be ${axes}, got shape ${shapeStr(t.shape)}`);
    if (c) checkRange('input_ids', t.data, c.vocab_size, `vocab_size = ${c.vocab_size}`);
    shape = [...t.shape];
    inputIds = t.data;
  } else {
    const e = inp.inputs_embeds as unknown;
    if (!(e instanceof Tensor) || e.dtype !== 'float32')
      throw new InputError(
        `inputs_embeds must be a float32 Tensor, got ${e instanceof Tensor ? `dtype ${e.dtype}` : typeof e}`,
      );
    checkDims('inputs_embeds', e.shape);
    if (e.shape.length !== rank + 1 || (c && e.shape[rank] !== c.embedding_size))
      throw new InputError(
        `${head}: inputs_embeds must be ${axes.slice(0, -1)}, ${c?.embedding_size ?? 'embedding_size'}] (embedding_size), got ${shapeStr(e.shape)}`,
      );
    shape = e.shape.slice(0, rank);
    inputsEmbeds = e.data as Float32Array;
  }
  const S = shape[rank - 1]!;
  const lead = shape.slice(0, rank - 1);
  const batch = numel(lead);
  if (S === 0 || batch === 0) throw new InputError(`inputs have an empty dimension: shape ${shapeStr(shape)}`);
  const n = batch * S;

  let attentionMask: Int32Array;
  if (inp.attention_mask !== undefined) {
    const t = sameShapeIds('attention_mask', inp.attention_mask, shape);
    if (!same(t.shape, shape)) throw shapeError('attention_mask', t.shape, shape);
    attentionMask = t.data.map((v) => (v !== 0 ? 1 : 0)); // any non-zero value attends (torch.bool)
  } else attentionMask = new Int32Array(n).fill(1);

  let tokenTypeIds: Int32Array;
  if (inp.token_type_ids !== undefined) {
    const t = sameShapeIds('token_type_ids', inp.token_type_ids, shape);
    if (!same(t.shape, shape)) throw shapeError('token_type_ids', t.shape, shape);
    if (c) checkRange('token_type_ids', t.data, c.type_vocab_size, `type_vocab_size = ${c.type_vocab_size}`);
    tokenTypeIds = t.data;
  } else tokenTypeIds = new Int32Array(n);

  let positionIds: Int32Array;
  if (inp.position_ids !== undefined) {
    positionIds = positions(inp.position_ids, shape, S);
    if (c)
      checkRange(
        'position_ids',
        positionIds,
        c.max_position_embeddings,
        `max_position_embeddings = ${c.max_position_embeddings}`,
      );
  } else {
    if (c && S > c.max_position_embeddings)
      throw new InputError(`sequence length ${S} exceeds max_position_embeddings = ${c.max_position_embeddings}`);
    positionIds = Int32Array.from({ length: n }, (_, i) => i % S);
  }

  return {
    head,
    batch,
    seq: S,
    lead,
    ...(inputIds ? { inputIds } : {}),
    ...(inputsEmbeds ? { inputsEmbeds } : {}),
    attentionMask,
    hasAttentionMask: inp.attention_mask !== undefined,
    tokenTypeIds,
    positionIds,
    hasPositionIds: inp.position_ids !== undefined,
    ...(inp.head_mask !== undefined ? { headMask: headMaskOf(needConfig(c, 'head_mask'), inp.head_mask) } : {}),
    labels: hasLabels(inp) ? prepareLabels(head, needConfig(c, 'labels'), inp, lead[0]!, batch, S) : {},
  };
}
