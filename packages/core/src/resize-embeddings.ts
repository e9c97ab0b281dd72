// transformers' resize_token_embeddings / get_input_embeddings / set_input_embeddings for ALBERT, on a bound
// WeightMap: the word-embedding rows, config.vocab_size and the MLM decoder (tied: the decoder weight is the new
// embedding matrix and its bias is zero-padded, as _tie_or_clone_weights pads it; untied: the decoder rows and bias
// resized like the embeddings, new bias entries = the old bias' mean as _init_added_lm_head_bias_with_mean). New rows
// follow mean_resizing (default): a sample of the multivariate normal with the old rows' mean and 1e-9 × their
// covariance (the mean when that is not positive definite), else normal(0, initializer_range). Seeded (torch's
// generator cannot be reproduced: the rows match transformers in distribution, not bit for bit).
// The same rule is in transformers 5.x (_init_added_embeddings_weights_with_mean lost its old_embedding_dim
// argument, the sampling is unchanged); the lines ported, pinned where the whole resize path could be read:
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/modeling_utils.py (resize_token_embeddings,
// _get_resized_embeddings, _get_resized_lm_head, _init_added_embeddings_weights_with_mean, _tie_or_clone_weights)
// Every backend's model handle has resizeTokenEmbeddings / getInputEmbeddings / setInputEmbeddings methods built
// on these functions (resizeLoadedModel below); on a checkpoint, load the result with loadModel(head, config, weights).
import { AlbertConfig } from './config.js';
import { InputError } from './errors.js';
import type { ModelLifecycle } from './forward/lifecycle.js';
import type { HeadName } from './heads/names.js';
import { tiedKeys } from './heads/spec.js';
import { checkOptions } from './options.js';
import { mulberry32, normals } from './random.js';
import { shapeStr, Tensor } from './tensor.js';
import { bindWeights, type WeightMap } from './weights.js';

export interface ResizeOptions {
  /** Round the new size up to a multiple of this (tensor-core friendly sizes). */
  padToMultipleOf?: number;
  /** New rows from the old rows' mean and covariance (default true), else normal(0, initializer_range). */
  meanResizing?: boolean;
  /** Seed of the new rows (mulberry32). Default 0. */
  seed?: number;
}

const RESIZE_OPTIONS: Record<keyof ResizeOptions, true> = { padToMultipleOf: true, meanResizing: true, seed: true };

export interface ResizedModel {
  config: AlbertConfig;
  weights: WeightMap;
}

/** The checkpoint key of `head`'s word-embedding matrix. */
export function inputEmbeddingsKey(head: HeadName): string {
  return head === 'AlbertModel' ? 'embeddings.word_embeddings.weight' : 'albert.embeddings.word_embeddings.weight';
}

/** `model.get_input_embeddings().weight`: the [vocab_size, embedding_size] word-embedding matrix. */
export function getInputEmbeddings(head: HeadName, weights: WeightMap): Tensor<Float32Array> {
  return weights.f32(inputEmbeddingsKey(head));
}

function rebind(head: HeadName, config: AlbertConfig, weights: WeightMap, set: Record<string, Tensor>): ResizedModel {
  const raw = new Map<string, Tensor>(weights.tensors);
  for (const k of Object.keys(tiedKeys(head, config))) raw.delete(k); // aliases: bindWeights ties them again
  for (const [k, v] of Object.entries(set)) raw.set(k, v);
  return { config, weights: bindWeights(head, config, raw).weights };
}

/** `model.set_input_embeddings(matrix)`: new word embeddings (any row count: vocab_size follows), decoder re-tied. */
export function setInputEmbeddings(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  embeddings: Tensor<Float32Array>,
): ResizedModel {
  if (!(embeddings instanceof Tensor) || embeddings.dtype !== 'float32')
    throw new InputError(
      `setInputEmbeddings: expects a float32 Tensor [vocab, embedding_size = ${config.embedding_size}], got ${describe(embeddings)}`,
    );
  if (embeddings.shape.length !== 2 || embeddings.shape[1] !== config.embedding_size)
    throw new InputError(
      `input embeddings must be [vocab, embedding_size = ${config.embedding_size}], got ${shapeStr(embeddings.shape)}`,
    );
  const n = embeddings.shape[0]!;
  if (n !== config.vocab_size) return resizeTokenEmbeddings(head, config, weights, n, { embeddings });
  return rebind(head, config, weights, { [inputEmbeddingsKey(head)]: embeddings });
}

/** Lower-triangular L with L·Lᵀ = a (a: n×n, row-major), or undefined when a is not positive definite. */
function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** `added` new rows for a [rows, E] matrix, as _init_added_embeddings_weights_with_mean (or normal(0, std)). */
function newRows(
  old: Float32Array,
  rows: number,
  E: number,
  added: number,
  std: number,
  mean: boolean,
  rand: () => number,
): Float32Array {
  if (!mean) return normals(rand, added * E, std);
  const mu = new Float64Array(E);
  for (let r = 0; r < rows; r++) for (let e = 0; e < E; e++) mu[e]! += old[r * E + e]! / rows;
  const cov = new Float64Array(E * E); // 1e-9 · (X − μ)ᵀ(X − μ) / rows
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < E; i++) {
      const di = old[r * E + i]! - mu[i]!;
      for (let j = 0; j <= i; j++) cov[i * E + j]! += (1e-9 * di * (old[r * E + j]! - mu[j]!)) / rows;
    }
  for (let i = 0; i < E; i++) for (let j = 0; j < i; j++) cov[j * E + i] = cov[i * E + j]!;
  const l = cholesky(cov, E);
  const out = new Float32Array(added * E);
  for (let r = 0; r < added; r++) {
    const z = l ? normals(rand, E) : undefined;
    for (let i = 0; i < E; i++) {
      let v = mu[i]!;
      if (l && z) for (let k = 0; k <= i; k++) v += l[i * E + k]! * z[k]!;
      out[r * E + i] = v;
    }
  }
  return out;
}

/** `rows` rows of `t` ([oldRows, E] or [oldRows]), new ones from `fresh`. */
function resizeRows(t: Tensor<Float32Array>, rows: number, fresh: () => Float32Array): Tensor<Float32Array> {
  const E = t.shape.length === 2 ? t.shape[1]! : 1;
  const old = t.shape[0]!;
  const out = new Float32Array(rows * E);
  out.set(t.data.subarray(0, Math.min(old, rows) * E));
  if (rows > old) out.set(fresh(), old * E);
  return new Tensor('float32', out, t.shape.length === 2 ? [rows, E] : [rows]);
}

/**
 * `model.resize_token_embeddings(n, pad_to_multiple_of)`: a new config (vocab_size) and weights with n word-embedding
 * rows (kept rows unchanged), the MLM decoder and bias following. Shrinking drops the last rows.
 */
export function resizeTokenEmbeddings(
  head: HeadName,
  config: AlbertConfig,
  weights: WeightMap,
  newNumTokens: number,
  options: ResizeOptions & { embeddings?: Tensor<Float32Array> } = {},
): ResizedModel {
  const { embeddings, ...rest } = options;
  checkOptions('resizeTokenEmbeddings', rest, RESIZE_OPTIONS);
  if (!Number.isSafeInteger(newNumTokens) || newNumTokens <= 0)
    throw new InputError(`resizeTokenEmbeddings: new size must be a positive integer, got ${describe(newNumTokens)}`);
  const m = options.padToMultipleOf;
  if (m !== undefined && (!Number.isSafeInteger(m) || m <= 0))
    throw new InputError(`resizeTokenEmbeddings: padToMultipleOf must be a positive integer, got ${describe(m)}`);
  if (options.meanResizing !== undefined && typeof options.meanResizing !== 'boolean')
    throw new InputError(
      `resizeTokenEmbeddings: meanResizing must be true or false, got ${describe(options.meanResizing)}`,
    );
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed))
    throw new InputError(`resizeTokenEmbeddings: seed must be an integer, got ${describe(options.seed)}`);
  const n = m ? Math.ceil(newNumTokens / m) * m : newNumTokens;
  if (config.pad_token_id !== null && config.pad_token_id >= n)
    throw new InputError(`resizeTokenEmbeddings: ${n} rows would drop pad_token_id ${config.pad_token_id}`);
  const E = config.embedding_size;
  const V = config.vocab_size;
  const added = Math.max(0, n - V);
  const mean = options.meanResizing !== false;
  const rand = mulberry32(options.seed ?? 0);
  const key = inputEmbeddingsKey(head);
  const emb =
    embeddings ??
    resizeRows(weights.f32(key), n, () =>
      newRows(weights.f32(key).data, V, E, added, config.initializer_range, mean, rand),
    );
  const next = AlbertConfig.fromJSON({ ...config.toJSON(), vocab_size: n });
  const set: Record<string, Tensor> = { [key]: emb };
  if (weights.has('predictions.bias')) {
    const bias = weights.f32('predictions.bias');
    if (config.tie_word_embeddings) set['predictions.bias'] = resizeRows(bias, n, () => new Float32Array(added));
    else {
      let avg = 0;
      for (const b of bias.data) avg += b / bias.data.length;
      set['predictions.bias'] = resizeRows(bias, n, () => new Float32Array(added).fill(avg));
      const dec = weights.f32('predictions.decoder.weight');
      set['predictions.decoder.weight'] = resizeRows(dec, n, () =>
        newRows(dec.data, V, E, added, config.initializer_range, mean, rand),
      );
    }
  }
  return rebind(head, next, weights, set);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} Tensor ${shapeStr(v.shape)}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** A loaded model as its backend exposes it to resizeLoadedModel. */
export interface ResizableModel {
  readonly head: HeadName;
  readonly config: AlbertConfig;
  /** The model's current parameters (after training too), bound to its head. */
  currentWeights(): Promise<WeightMap> | WeightMap;
  /** Rebuilds the model on `next` (new config and weights); the old device resources are released. */
  replace(next: ResizedModel): Promise<void>;
}

/**
 * `model.resize_token_embeddings(n, pad_to_multiple_of)` on a loaded model, the same on every backend: core's
 * resizeTokenEmbeddings on the current weights, then the backend rebuilds. Resolves to the new vocab_size.
 */
export async function resizeLoadedModel(
  model: ResizableModel,
  newNumTokens: number,
  options: ResizeOptions = {},
): Promise<number> {
  const next = resizeTokenEmbeddings(model.head, model.config, await model.currentWeights(), newNumTokens, options);
  await model.replace(next);
  return next.config.vocab_size;
}

/** `model.set_input_embeddings(matrix)` on a loaded model (any row count: vocab_size follows). */
export async function setLoadedInputEmbeddings(model: ResizableModel, embeddings: Tensor<Float32Array>): Promise<void> {
  await model.replace(setInputEmbeddings(model.head, model.config, await model.currentWeights(), embeddings));
}

/** The three embedding methods of a model handle (AlbertModelHandle). */
export interface EmbeddingMethods {
  resizeTokenEmbeddings(newNumTokens: number, options?: ResizeOptions): Promise<number>;
  getInputEmbeddings(): Promise<Tensor<Float32Array>>;
  setInputEmbeddings(embeddings: Tensor<Float32Array>): Promise<void>;
}

/**
 * What every backend's handle delegates its embedding methods to: changes run in `life.exclusive` (after the calls
 * already made, before later ones), reads in `life.track`; `model()` gives the backend's ResizableModel.
 */
export function embeddingMethods(life: ModelLifecycle, model: () => ResizableModel): EmbeddingMethods {
  return {
    resizeTokenEmbeddings: (n, options) => life.exclusive(() => resizeLoadedModel(model(), n, options)),
    setInputEmbeddings: (embeddings) => life.exclusive(() => setLoadedInputEmbeddings(model(), embeddings)),
    getInputEmbeddings: () =>
      life.track(async () => {
        const m = model();
        const t = getInputEmbeddings(m.head, await m.currentWeights());
        return new Tensor('float32', new Float32Array(t.data), t.shape);
      }),
  };
}
