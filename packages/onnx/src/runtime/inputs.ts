// Validation of model inputs before onnxruntime sees them (InputError naming the input and the value),
// and their conversion to int64 / float32 feeds.
import {
  type AlbertConfig,
  type AlbertInputs,
  type HeadName,
  InputError,
  shapeStr,
  Tensor,
  toInt32Ids,
} from '@albertjs/core';

export interface PreparedInputs {
  /** Feed values by graph input name (int64 ids as BigInt64Array, floats as Float32Array). */
  feeds: Record<string, { data: BigInt64Array | Float32Array; dims: number[] }>;
  /** Shape of input_ids (or inputs_embeds without its last axis). */
  shape: number[];
  inputsEmbeds: boolean;
  positionIds: boolean;
  /** head_mask normalized to [layers, heads], when given. */
  headMask?: Float32Array;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, k) => d === b[k]);

function i64(t: Tensor<Int32Array>): BigInt64Array {
  return BigInt64Array.from(t.data, (v) => BigInt(v));
}

function checkRange(name: string, t: Tensor<Int32Array>, hi: number | undefined, what: string): void {
  const d = t.data;
  if (hi === undefined) {
    for (let k = 0; k < d.length; k++) if (d[k]! < 0) throw new InputError(`${name}[${k}] = ${d[k]} is negative`);
    return;
  }
  for (let k = 0; k < d.length; k++) {
    const v = d[k]!;
    if (v < 0 || v >= hi) throw new InputError(`${name}[${k}] = ${v} is out of range [0, ${hi}) (${what})`);
  }
}

/** Checks every input against `config` (ranges skipped when unknown) and the head's expected ranks; returns onnxruntime feeds. */
export function prepareInputs(head: HeadName, config: AlbertConfig | undefined, inputs: AlbertInputs): PreparedInputs {
  const rank = head === 'AlbertForMultipleChoice' ? 3 : 2;
  const axes = rank === 3 ? '[batch, num_choices, sequence]' : '[batch, sequence]';
  if (inputs.input_ids !== undefined && inputs.inputs_embeds !== undefined)
    throw new InputError('give input_ids or inputs_embeds, not both');
  let shape: number[];
  const feeds: PreparedInputs['feeds'] = {};
  if (inputs.inputs_embeds !== undefined) {
    const e = inputs.inputs_embeds;
    if (!(e instanceof Tensor) || e.dtype !== 'float32')
      throw new InputError(`inputs_embeds must be a float32 Tensor, got ${e instanceof Tensor ? e.dtype : typeof e}`);
    if (e.shape.length !== rank + 1 || (config && e.shape[rank] !== config.embedding_size)) {
      throw new InputError(
        `inputs_embeds must have shape ${axes.slice(0, -1)}, ${config?.embedding_size ?? 'embedding_size'}], got ${shapeStr(e.shape)}`,
      );
    }
    shape = e.shape.slice(0, rank);
    feeds.inputs_embeds = { data: e.data, dims: [...e.shape] };
  } else {
    if (inputs.input_ids === undefined) throw new InputError('input_ids (or inputs_embeds) is required');
    const ids = toInt32Ids('input_ids', inputs.input_ids);
    if (ids.shape.length !== rank)
      throw new InputError(`input_ids must have rank ${rank} ${axes} for ${head}, got shape ${shapeStr(ids.shape)}`);
    checkRange('input_ids', ids, config?.vocab_size, `vocab_size ${config?.vocab_size}`);
    shape = [...ids.shape];
    feeds.input_ids = { data: i64(ids), dims: shape };
  }
  if (shape.some((d) => d === 0)) throw new InputError(`inputs have an empty axis: shape ${shapeStr(shape)}`);
  const S = shape[shape.length - 1]!;
  const n = shape.reduce((a, b) => a * b, 1);
  const aux = (name: 'attention_mask' | 'token_type_ids' | 'position_ids'): Tensor<Int32Array> | undefined => {
    const v = inputs[name];
    if (v === undefined) return undefined;
    let t = toInt32Ids(name, v, Array.isArray(v) ? undefined : shape);
    // position_ids [1, S] broadcast over the batch, as transformers allows.
    if (
      name === 'position_ids' &&
      t.shape.length === 2 &&
      t.shape[0] === 1 &&
      rank === 2 &&
      t.shape[1] === S &&
      shape[0] !== 1
    ) {
      const rep = new Int32Array(n);
      for (let b = 0; b < shape[0]!; b++) rep.set(t.data, b * S);
      t = new Tensor('int32', rep, shape);
    }
    if (!sameShape(t.shape, shape))
      throw new InputError(`${name} must have the shape of the ids ${shapeStr(shape)}, got ${shapeStr(t.shape)}`);
    return t;
  };
  const mask = aux('attention_mask');
  feeds.attention_mask = { data: mask ? i64(mask) : new BigInt64Array(n).fill(1n), dims: shape };
  const types = aux('token_type_ids');
  if (types) checkRange('token_type_ids', types, config?.type_vocab_size, `type_vocab_size ${config?.type_vocab_size}`);
  feeds.token_type_ids = { data: types ? i64(types) : new BigInt64Array(n), dims: shape };
  const pos = aux('position_ids');
  if (pos) {
    checkRange(
      'position_ids',
      pos,
      config?.max_position_embeddings,
      `max_position_embeddings ${config?.max_position_embeddings}`,
    );
    feeds.position_ids = { data: i64(pos), dims: shape };
  } else if (config && S > config.max_position_embeddings) {
    throw new InputError(`sequence length ${S} exceeds max_position_embeddings ${config.max_position_embeddings}`);
  }
  const prepared: PreparedInputs = {
    feeds,
    shape,
    inputsEmbeds: inputs.inputs_embeds !== undefined,
    positionIds: !!pos,
  };
  if (inputs.head_mask !== undefined) {
    if (!config) throw new InputError('head_mask needs the model config (num_hidden_layers, num_attention_heads)');
    prepared.headMask = normalizeHeadMask(config, inputs.head_mask);
  }
  return prepared;
}

/** [heads] → every layer; [layers, heads] → row l for layer l. */
export function normalizeHeadMask(config: AlbertConfig, m: Tensor<Float32Array>): Float32Array {
  const L = config.num_hidden_layers;
  const h = config.num_attention_heads;
  if (!(m instanceof Tensor) || m.dtype !== 'float32')
    throw new InputError(`head_mask must be a float32 Tensor, got ${m instanceof Tensor ? m.dtype : typeof m}`);
  const s = m.shape;
  if (s.length === 1 && s[0] === h) {
    const out = new Float32Array(L * h);
    for (let l = 0; l < L; l++) out.set(m.data, l * h);
    return out;
  }
  if (s.length === 2 && s[0] === L && s[1] === h) return Float32Array.from(m.data);
  throw new InputError(
    `head_mask must have shape [${h}] or [${L}, ${h}] (num_hidden_layers, num_attention_heads), got ${shapeStr(m.shape)}`,
  );
}
