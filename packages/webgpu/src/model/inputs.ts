// Checks and normalizes forward() inputs on the CPU: shapes, id ranges, defaults (mask of ones,
// token types 0, positions 0..S-1), the additive attention mask and the head mask.
// HF: AlbertModel.forward (defaults), get_extended_attention_mask / get_head_mask, and
// AlbertForMultipleChoice.forward (`input_ids.view(-1, input_ids.size(-1))`).
import {
  type AlbertConfig,
  type AlbertInputs,
  type HeadName,
  InputError,
  shapeStr,
  type Tensor,
  toInt32Ids,
} from '@albertjs/core';
import { F32_MIN } from '../runtime/wgsl.js';

export interface PreparedInputs {
  /** Rows the encoder sees: B, or B·C for multiple choice. */
  batch: number;
  seq: number;
  /** [B] or [B, C]: the leading dims of the inputs. */
  lead: number[];
  /** [batch·seq] ids, or null with inputs_embeds. */
  ids: Int32Array | null;
  /** [batch·seq·E] with inputs_embeds. */
  embeds: Float32Array | null;
  tokenTypes: Int32Array;
  positions: Int32Array;
  /** [batch, seq] additive: 0 where attended, finfo(float32).min where masked. */
  mask: Float32Array;
  /** [num_hidden_layers, heads] (a [heads] mask expanded), or null. */
  headMask: Float32Array | null;
}

function checkRange(name: string, v: Int32Array, lo: number, hi: number, what: string): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < lo || x >= hi) throw new InputError(`${name}[${i}] = ${x} is out of range [${lo}, ${hi}) (${what})`);
  }
}

function sameShape(name: string, t: Tensor, shape: readonly number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new InputError(`${name} has shape ${shapeStr(t.shape)}, expected ${shapeStr(shape)} (the shape of the ids)`);
  }
}

export function prepareInputs(head: HeadName, c: AlbertConfig, inp: AlbertInputs): PreparedInputs {
  const rank = head === 'AlbertForMultipleChoice' ? 3 : 2;
  const what = head === 'AlbertForMultipleChoice' ? '[batch, num_choices, seq]' : '[batch, seq]';
  if (inp.input_ids !== undefined && inp.inputs_embeds !== undefined)
    throw new InputError('You cannot specify both input_ids and inputs_embeds at the same time');
  let shape: number[];
  let ids: Int32Array | null = null;
  let embeds: Float32Array | null = null;
  if (inp.input_ids !== undefined) {
    const t = toInt32Ids('input_ids', inp.input_ids);
    if (t.shape.length !== rank)
      throw new InputError(`input_ids must be ${what} for ${head}, got ${shapeStr(t.shape)}`);
    shape = [...t.shape];
    ids = t.data;
    checkRange('input_ids', ids, 0, c.vocab_size, `vocab_size = ${c.vocab_size}`);
  } else if (inp.inputs_embeds !== undefined) {
    const e = inp.inputs_embeds;
    if (e.dtype !== 'float32') throw new InputError(`inputs_embeds must be float32, got ${e.dtype}`);
    if (e.shape.length !== rank + 1 || e.shape[rank] !== c.embedding_size) {
      throw new InputError(
        `inputs_embeds must be ${what.slice(0, -1)}, embedding_size = ${c.embedding_size}], got ${shapeStr(e.shape)}`,
      );
    }
    shape = e.shape.slice(0, rank);
    embeds = e.data;
  } else {
    throw new InputError('You have to specify either input_ids or inputs_embeds');
  }
  const seq = shape[rank - 1]!;
  const lead = shape.slice(0, rank - 1);
  const batch = lead.reduce((p, d) => p * d, 1);
  if (seq < 1 || batch < 1) throw new InputError(`inputs have an empty dimension: ${shapeStr(shape)}`);
  if (seq > c.max_position_embeddings) {
    throw new InputError(`sequence length ${seq} exceeds max_position_embeddings = ${c.max_position_embeddings}`);
  }
  const T = batch * seq;
  const opt = (name: 'attention_mask' | 'token_type_ids' | 'position_ids'): Int32Array | null => {
    const v = inp[name];
    if (v === undefined) return null;
    const t = toInt32Ids(name, v, v instanceof BigInt64Array || v instanceof Int32Array ? shape : undefined);
    sameShape(name, t, shape);
    return t.data;
  };
  const am = opt('attention_mask');
  const tt = opt('token_type_ids') ?? new Int32Array(T);
  checkRange('token_type_ids', tt, 0, c.type_vocab_size, `type_vocab_size = ${c.type_vocab_size}`);
  let pos = opt('position_ids');
  if (pos)
    checkRange(
      'position_ids',
      pos,
      0,
      c.max_position_embeddings,
      `max_position_embeddings = ${c.max_position_embeddings}`,
    );
  else {
    pos = new Int32Array(T);
    for (let i = 0; i < T; i++) pos[i] = i % seq;
  }
  const mask = new Float32Array(T);
  if (am) for (let i = 0; i < T; i++) mask[i] = am[i] ? 0 : F32_MIN;
  return {
    batch,
    seq,
    lead,
    ids,
    embeds,
    tokenTypes: tt,
    positions: pos,
    mask,
    headMask: prepareHeadMask(c, inp.head_mask),
  };
}

function prepareHeadMask(c: AlbertConfig, hm: Tensor<Float32Array> | undefined): Float32Array | null {
  if (!hm) return null;
  const L = c.num_hidden_layers;
  const h = c.num_attention_heads;
  const d = hm.data as ArrayLike<number>;
  const out = new Float32Array(L * h);
  if (hm.shape.length === 1 && hm.shape[0] === h) {
    for (let l = 0; l < L; l++) for (let i = 0; i < h; i++) out[l * h + i] = Number(d[i]);
  } else if (hm.shape.length === 2 && hm.shape[0] === L && hm.shape[1] === h) {
    for (let i = 0; i < L * h; i++) out[i] = Number(d[i]);
  } else {
    throw new InputError(
      `head_mask must be [num_attention_heads = ${h}] or [num_hidden_layers = ${L}, ${h}], got ${shapeStr(hm.shape)}`,
    );
  }
  return out;
}
