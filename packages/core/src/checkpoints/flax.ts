// flax_model.msgpack: flax.serialization.to_bytes of the params tree, mapped to PyTorch names as
// transformers' load_flax_weights_in_pytorch_model does (kernel → weight transposed, scale/embedding → weight).
// https://github.com/google/flax/blob/main/flax/serialization.py
// https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_flax_pytorch_utils.py
import { DecodeError, decode, ExtensionCodec, encode } from '@msgpack/msgpack';
import { DTYPE_BYTES, typedArrayFromBytes } from '../dtype-view.js';
import { CheckpointError } from '../errors.js';
import { type DType, numel, shapeStr, Tensor, type TensorData } from '../tensor.js';

/** flax's msgpack extension codes (flax/serialization.py _MsgpackExtType). */
export const FLAX_EXT_NDARRAY = 1;
export const FLAX_EXT_NPSCALAR = 3;

/** numpy dtype names as flax writes them → dtype. */
const NP_DTYPES: Readonly<Record<string, DType>> = {
  float32: 'float32',
  float16: 'float16',
  bfloat16: 'bfloat16',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
};

/** ALBERT's deepest flax path has 9 parts; anything far deeper is malformed or hostile. */
const MAX_TREE_DEPTH = 64;

/** An ndarray as decoded from the extension, before it is checked. */
class RawArray {
  constructor(
    readonly shape: unknown,
    readonly dtype: unknown,
    readonly data: unknown,
  ) {}
}

function toTensor(a: RawArray, path: string, source: string): Tensor {
  const dt = typeof a.dtype === 'string' ? NP_DTYPES[a.dtype] : undefined;
  if (!dt)
    throw new CheckpointError(
      `${source}: array ${path} has unsupported dtype ${JSON.stringify(a.dtype)}; supported: ${Object.keys(NP_DTYPES).join(', ')}`,
    );
  const shape = a.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new CheckpointError(`${source}: array ${path} has an invalid shape ${JSON.stringify(shape)}`);
  if (!(a.data instanceof Uint8Array)) throw new CheckpointError(`${source}: array ${path} has no byte buffer`);
  const want = numel(shape) * DTYPE_BYTES[dt];
  if (a.data.byteLength !== want) {
    throw new CheckpointError(
      `${source}: array ${path} (${dt} ${shapeStr(shape)}) needs ${want} bytes, found ${a.data.byteLength}`,
    );
  }
  return new Tensor(dt, typedArrayFromBytes(dt, a.data), shape);
}

function codec(source: string): ExtensionCodec {
  const c = new ExtensionCodec();
  const decodeArray = (data: Uint8Array): RawArray => {
    const v = decode(data);
    if (!Array.isArray(v) || v.length !== 3)
      throw new CheckpointError(`${source}: malformed ndarray extension (expected (shape, dtype, bytes))`);
    return new RawArray(v[0], v[1], v[2]);
  };
  c.register({ type: FLAX_EXT_NDARRAY, encode: () => null, decode: decodeArray });
  c.register({ type: FLAX_EXT_NPSCALAR, encode: () => null, decode: decodeArray });
  return c;
}

/** 2-D transpose of any element type: [r, c] → [c, r]. */
export function transpose2d(t: Tensor): Tensor {
  const [r, c] = t.shape as [number, number];
  const src = t.data as unknown as ArrayLike<number | bigint>;
  const Ctor = t.data.constructor as new (n: number) => { [i: number]: number | bigint };
  const out = new Ctor(t.size);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j]!;
  return new Tensor(t.dtype, out as unknown as TensorData, [c, r]); // [c, r]
}

function isChunked(v: unknown): v is { shape: Record<string, number>; chunks: Record<string, unknown> } {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof RawArray) &&
    (v as Record<string, unknown>).__msgpack_chunked_array__ === true
  );
}

function dictToTuple<T>(d: Record<string, T>): T[] {
  return Object.keys(d)
    .map(Number)
    .sort((a, b) => a - b)
    .map((i) => d[String(i)]!);
}

/** Flax arrays larger than 2^30 bytes are stored as `{__msgpack_chunked_array__, shape, chunks}`. */
function unchunk(
  v: { shape: Record<string, number>; chunks: Record<string, unknown> },
  path: string,
  source: string,
): Tensor {
  const parts = dictToTuple(v.chunks).map((c, i) => {
    if (!(c instanceof RawArray)) throw new CheckpointError(`${source}: chunk ${i} of ${path} is not an array`);
    return toTensor(c, `${path}[chunk ${i}]`, source);
  });
  const shape = dictToTuple(v.shape);
  const dtype = parts[0]?.dtype ?? 'float32';
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.data.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    if (p.dtype !== dtype) throw new CheckpointError(`${source}: chunks of ${path} mix dtypes ${dtype} and ${p.dtype}`);
    bytes.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), off);
    off += p.data.byteLength;
  }
  return toTensor(new RawArray(shape, dtype, bytes), path, source);
}

/** The params tree of a flax msgpack file, flattened to `a/b/c` paths (flax's own names). */
export function parseFlaxMsgpackRaw(bytes: Uint8Array, source = 'flax_model.msgpack'): Map<string, Tensor> {
  let tree: unknown;
  try {
    tree = decode(bytes, { extensionCodec: codec(source) });
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    const why = e instanceof DecodeError || e instanceof RangeError ? (e as Error).message : String(e);
    throw new CheckpointError(`${source}: not a valid msgpack file (truncated or corrupt: ${why})`, { cause: e });
  }
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree))
    throw new CheckpointError(`${source}: expected a msgpack map of parameters`);
  const root = (tree as Record<string, unknown>).params;
  const params = typeof root === 'object' && root !== null && !(root instanceof RawArray) ? root : tree;
  const out = new Map<string, Tensor>();
  const walk = (node: unknown, path: string[]) => {
    const p = path.join('/');
    if (path.length > MAX_TREE_DEPTH)
      throw new CheckpointError(
        `${source}: parameter tree nested deeper than ${MAX_TREE_DEPTH} levels at ${p.slice(0, 80)}…`,
      );
    if (node instanceof RawArray) out.set(p, toTensor(node, p, source));
    else if (isChunked(node)) out.set(p, unchunk(node, p, source));
    else if (typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof Uint8Array)) {
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
    } else throw new CheckpointError(`${source}: ${p || '<root>'} holds ${typeof node}, not an array or a subtree`);
  };
  walk(params, []);
  if (!out.size) throw new CheckpointError(`${source}: the file holds no arrays`);
  return out;
}

/** Flax path → PyTorch key, and whether the array is a Dense kernel that must be transposed. */
export function flaxToTorchName(path: string): { name: string; transpose: boolean } {
  const parts = path.split('/');
  const last = parts[parts.length - 1];
  if (last === 'kernel') return { name: [...parts.slice(0, -1), 'weight'].join('.'), transpose: true };
  if (last === 'scale' || last === 'embedding')
    return { name: [...parts.slice(0, -1), 'weight'].join('.'), transpose: false };
  return { name: parts.join('.'), transpose: false };
}

/** Reads flax_model.msgpack into tensors with transformers' PyTorch names and layouts. */
export function parseFlaxMsgpack(bytes: Uint8Array, source = 'flax_model.msgpack'): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [path, t] of parseFlaxMsgpackRaw(bytes, source)) {
    const { name, transpose } = flaxToTorchName(path);
    if (transpose && t.shape.length !== 2)
      throw new CheckpointError(`${source}: kernel ${path} has shape ${shapeStr(t.shape)}; ALBERT kernels are 2-D`);
    out.set(name, transpose ? transpose2d(t) : t);
  }
  return out;
}

/** PyTorch key → flax path and whether the tensor must be transposed (the inverse of flaxToTorchName). */
export function torchToFlaxName(name: string, ndim: number): { path: string; transpose: boolean } {
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  const owner = parts[parts.length - 2] ?? '';
  if (last !== 'weight') return { path: parts.join('/'), transpose: false };
  const base = parts.slice(0, -1);
  if (owner.endsWith('_embeddings')) return { path: [...base, 'embedding'].join('/'), transpose: false };
  if (ndim === 1) return { path: [...base, 'scale'].join('/'), transpose: false }; // LayerNorm
  return { path: [...base, 'kernel'].join('/'), transpose: true };
}

const NP_NAME: Readonly<Record<DType, string>> = Object.fromEntries(
  Object.entries(NP_DTYPES).map(([k, v]) => [v, k]),
) as Record<DType, string>;

/** Writes tensors with PyTorch names as flax_model.msgpack (flax.serialization.to_bytes of the params tree). */
export function serializeFlaxMsgpack(tensors: ReadonlyMap<string, Tensor>): Uint8Array {
  const tree: Record<string, unknown> = {};
  for (const [name, t0] of [...tensors].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { path, transpose } = torchToFlaxName(name, t0.shape.length);
    const t = transpose ? transpose2d(t0) : t0;
    const keys = path.split('/');
    let node = tree;
    for (const k of keys.slice(0, -1)) {
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = t;
  }
  const c = new ExtensionCodec();
  c.register({
    type: FLAX_EXT_NDARRAY,
    encode: (v) =>
      v instanceof Tensor
        ? encode([[...v.shape], NP_NAME[v.dtype], new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength)])
        : null,
    decode: () => null,
  });
  return encode(tree, { extensionCodec: c });
}
