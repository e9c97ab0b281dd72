// Validates AlbertInputs against the config and the head (shapes, dtypes, ranges) and turns them
// into the host-side arrays the model runs on. Every problem is an InputError naming the value.
import {
  type AlbertConfig,
  type AlbertInputs,
  type HeadName,
  type IdsLike,
  InputError,
  inferProblemType,
  numel,
  shapeStr,
  Tensor,
  toInt32Ids,
} from '@albertjs/core';
import type { HeadInputs } from './model/heads.js';
import { tf } from './tf.js';

export interface PreparedInputs {
  /** [B, S] after flattening multiple-choice inputs to [B·C, S]. */
  batch: number;
  seq: number;
  numChoices?: number;
  inputIds?: Int32Array;
  inputsEmbeds?: Float32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  positionIds: Int32Array;
  /** [num_hidden_layers, heads]. */
  headMask?: Float32Array;
  labels: {
    ids?: Int32Array;
    floats?: Tensor<Float32Array>;
    sentenceOrder?: Int32Array;
    startPositions?: Int32Array;
    endPositions?: Int32Array;
  };
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function checkRange(name: string, data: Int32Array, lo: number, hi: number, why: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v >= hi) throw new InputError(`${name}[${i}] = ${v} is out of range [${lo}, ${hi}) (${why})`);
  }
}

function ids(name: string, v: IdsLike, shape: readonly number[]): Int32Array {
  const t = toInt32Ids(name, v, v instanceof BigInt64Array || v instanceof Int32Array ? shape : undefined);
  // number[] of one row infers [1, S]; accept it when it matches the element count.
  if (!same(t.shape, shape) && !(Array.isArray(v) && !Array.isArray(v[0]) && t.data.length === numel(shape))) {
    throw new InputError(
      `${name} has shape ${shapeStr(t.shape)} but input_ids / inputs_embeds give ${shapeStr(shape)}`,
    );
  }
  return t.data;
}

const isFloatTensor = (v: unknown): v is Tensor =>
  v instanceof Tensor &&
  (v.dtype === 'float32' || v.dtype === 'float64' || v.dtype === 'float16' || v.dtype === 'bfloat16');

/** Integer labels (class ids) of `count` elements; float labels are a dtype error. */
function intLabels(head: string, name: string, v: IdsLike | Tensor, count: number, why: string): Int32Array {
  if (isFloatTensor(v))
    throw new InputError(`${head}: ${name} must be integer class ids (int64/int32) ${why}, got dtype ${v.dtype}`);
  const t = toInt32Ids(
    name,
    v as IdsLike,
    v instanceof BigInt64Array || v instanceof Int32Array ? [v.length] : undefined,
  );
  if (t.data.length !== count)
    throw new InputError(
      `${head}: ${name} has ${t.data.length} elements (shape ${shapeStr(t.shape)}), expected ${count} ${why}`,
    );
  return t.data;
}

function floatLabels(head: string, v: IdsLike | Tensor, shape: number[], why: string): Tensor<Float32Array> {
  if (!isFloatTensor(v)) {
    const dtype = v instanceof Tensor ? v.dtype : Array.isArray(v) ? 'number[] of integers' : v.constructor.name;
    throw new InputError(`${head}: labels must be a float32 tensor for ${why}, got ${dtype}`);
  }
  if (v.size !== numel(shape))
    throw new InputError(`${head}: labels have shape ${shapeStr(v.shape)}, expected ${shapeStr(shape)} for ${why}`);
  const f = new Float32Array(v.size);
  for (let i = 0; i < f.length; i++) f[i] = Number((v.data as ArrayLike<number>)[i]);
  return new Tensor('float32', f, shape);
}

function prepareLabels(
  head: HeadName,
  c: AlbertConfig,
  inp: AlbertInputs,
  B: number,
  S: number,
): PreparedInputs['labels'] {
  const out: PreparedInputs['labels'] = {};
  const labels = inp.labels as IdsLike | Tensor | undefined;
  switch (head) {
    case 'AlbertModel':
      if (labels !== undefined)
        throw new InputError('AlbertModel takes no labels; use a head such as AlbertForMaskedLM');
      break;
    case 'AlbertForPreTraining':
    case 'AlbertForMaskedLM':
    case 'AlbertForTokenClassification':
      if (labels !== undefined) out.ids = intLabels(head, 'labels', labels, B * S, `(one per token, [${B}, ${S}])`);
      if (head === 'AlbertForPreTraining' && inp.sentence_order_label !== undefined)
        out.sentenceOrder = intLabels(
          head,
          'sentence_order_label',
          inp.sentence_order_label,
          B,
          `(one per sequence, [${B}])`,
        );
      break;
    case 'AlbertForMultipleChoice':
      if (labels !== undefined) out.ids = intLabels(head, 'labels', labels, B, `(one per example, [${B}])`);
      break;
    case 'AlbertForSequenceClassification': {
      if (labels === undefined) break;
      const probe =
        labels instanceof Tensor
          ? labels
          : isFloatTensor(labels)
            ? labels
            : new Tensor('int32', new Int32Array(0), [0]);
      const pt = inferProblemType(c, probe);
      if (pt === 'single_label_classification')
        out.ids = intLabels(head, 'labels', labels, B, `for single_label_classification ([${B}])`);
      else out.floats = floatLabels(head, labels, [B, c.num_labels], pt);
      break;
    }
    case 'AlbertForQuestionAnswering': {
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

export function prepareInputs(head: HeadName, c: AlbertConfig, inp: AlbertInputs): PreparedInputs {
  const mc = head === 'AlbertForMultipleChoice';
  if (inp.input_ids !== undefined && inp.inputs_embeds !== undefined)
    throw new InputError('give either input_ids or inputs_embeds, not both');
  let fullShape: number[];
  let inputIds: Int32Array | undefined;
  let inputsEmbeds: Float32Array | undefined;
  if (inp.input_ids !== undefined) {
    const t = toInt32Ids('input_ids', inp.input_ids);
    fullShape = [...t.shape];
    if (fullShape.length !== (mc ? 3 : 2))
      throw new InputError(
        `${head}: input_ids must be ${mc ? '[batch, choices, seq]' : '[batch, seq]'}, got shape ${shapeStr(fullShape)}`,
      );
    checkRange('input_ids', t.data, 0, c.vocab_size, `vocab_size = ${c.vocab_size}`);
    inputIds = t.data;
  } else if (inp.inputs_embeds !== undefined) {
    const e = inp.inputs_embeds;
    if (!(e instanceof Tensor) || e.dtype !== 'float32')
      throw new InputError(`inputs_embeds must be a float32 Tensor, got ${e instanceof Tensor ? e.dtype : typeof e}`);
    if (e.shape.length !== (mc ? 4 : 3) || e.shape[e.shape.length - 1] !== c.embedding_size) {
      throw new InputError(
        `${head}: inputs_embeds must be ${mc ? '[batch, choices, seq, ' : '[batch, seq, '}${c.embedding_size}] (embedding_size), got ${shapeStr(e.shape)}`,
      );
    }
    fullShape = e.shape.slice(0, -1);
    inputsEmbeds = e.data;
  } else {
    throw new InputError(`${head}: give input_ids or inputs_embeds`);
  }
  const S = fullShape[fullShape.length - 1]!;
  const B = numel(fullShape) / S;
  if (S > c.max_position_embeddings)
    throw new InputError(`sequence length ${S} exceeds max_position_embeddings = ${c.max_position_embeddings}`);
  if (S === 0 || B === 0) throw new InputError(`empty input of shape ${shapeStr(fullShape)}`);
  const attentionMask =
    inp.attention_mask !== undefined
      ? ids('attention_mask', inp.attention_mask, fullShape)
      : new Int32Array(B * S).fill(1);
  const tokenTypeIds =
    inp.token_type_ids !== undefined ? ids('token_type_ids', inp.token_type_ids, fullShape) : new Int32Array(B * S);
  checkRange('token_type_ids', tokenTypeIds, 0, c.type_vocab_size, `type_vocab_size = ${c.type_vocab_size}`);
  let positionIds: Int32Array;
  if (inp.position_ids !== undefined) {
    const pt = toInt32Ids('position_ids', inp.position_ids);
    const p = pt.data;
    if (same(pt.shape, fullShape)) positionIds = p;
    else if (p.length === S)
      positionIds = Int32Array.from({ length: B * S }, (_, i) => p[i % S]!); // [1, S] broadcast
    else
      throw new InputError(
        `position_ids has shape ${shapeStr(pt.shape)} but input_ids / inputs_embeds give ${shapeStr(fullShape)}`,
      );
    checkRange(
      'position_ids',
      positionIds,
      0,
      c.max_position_embeddings,
      `max_position_embeddings = ${c.max_position_embeddings}`,
    );
  } else {
    positionIds = Int32Array.from({ length: B * S }, (_, i) => i % S);
  }
  let headMask: Float32Array | undefined;
  if (inp.head_mask !== undefined) {
    const h = inp.head_mask;
    const nh = c.num_attention_heads;
    const nl = c.num_hidden_layers;
    if (!(h instanceof Tensor) || h.dtype !== 'float32')
      throw new InputError(`head_mask must be a float32 Tensor, got ${h instanceof Tensor ? h.dtype : typeof h}`);
    if (same(h.shape, [nh])) headMask = Float32Array.from({ length: nl * nh }, (_, i) => h.data[i % nh]!);
    else if (same(h.shape, [nl, nh])) headMask = h.data;
    else
      throw new InputError(
        `head_mask must be [${nh}] (num_attention_heads) or [${nl}, ${nh}] (num_hidden_layers, heads), got ${shapeStr(h.shape)}`,
      );
  }
  return {
    batch: B,
    seq: S,
    ...(mc ? { numChoices: fullShape[1]! } : {}),
    ...(inputIds ? { inputIds } : {}),
    ...(inputsEmbeds ? { inputsEmbeds } : {}),
    attentionMask,
    tokenTypeIds,
    positionIds,
    ...(headMask ? { headMask } : {}),
    labels: prepareLabels(head, c, inp, mc ? fullShape[0]! : B, S),
  };
}

/** tf tensors for the model (call inside tf.tidy). */
export function toHeadInputs(p: PreparedInputs, c: AlbertConfig): HeadInputs & { headMask?: tf.Tensor } {
  const bs = [p.batch, p.seq];
  return {
    ...(p.inputIds ? { inputIds: tf.tensor2d(p.inputIds, [p.batch, p.seq], 'int32') } : {}),
    ...(p.inputsEmbeds ? { inputsEmbeds: tf.tensor3d(p.inputsEmbeds, [p.batch, p.seq, c.embedding_size]) } : {}),
    attentionMask: tf.tensor2d(p.attentionMask, [bs[0]!, bs[1]!], 'int32'),
    tokenTypeIds: tf.tensor2d(p.tokenTypeIds, [bs[0]!, bs[1]!], 'int32'),
    positionIds: tf.tensor2d(p.positionIds, [bs[0]!, bs[1]!], 'int32'),
    ...(p.numChoices ? { numChoices: p.numChoices } : {}),
    ...(p.headMask ? { headMask: tf.tensor2d(p.headMask, [c.num_hidden_layers, c.num_attention_heads]) } : {}),
    labels: {
      ...(p.labels.ids ? { ids: p.labels.ids } : {}),
      ...(p.labels.floats ? { floats: tf.tensor(p.labels.floats.data, [...p.labels.floats.shape]) } : {}),
      ...(p.labels.sentenceOrder ? { sentenceOrder: p.labels.sentenceOrder } : {}),
      ...(p.labels.startPositions ? { startPositions: p.labels.startPositions } : {}),
      ...(p.labels.endPositions ? { endPositions: p.labels.endPositions } : {}),
    },
  };
}
