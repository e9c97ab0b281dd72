// The allow-list of globals a PyTorch state_dict pickle may use, and the tensors they rebuild.
// Mirrors torch/_utils.py (_rebuild_tensor_v2, _rebuild_parameter) without executing anything else:
// https://github.com/pytorch/pytorch/blob/main/torch/_utils.py
import { DTYPE_BYTES, typedArrayFromBytes } from '../dtype-view.js';
import { CheckpointError } from '../errors.js';
import { type DType, numel, shapeStr, Tensor, type TensorData } from '../tensor.js';
import { type PickleCallable, type PickleGlobal, pyRepr } from './pickle.js';

/** torch's legacy typed storage classes as they appear in pickles (`torch.FloatStorage`). */
export const STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

/** A storage named by a persistent id; its bytes are filled in by the container format. */
export class TorchStorage {
  bytes: Uint8Array | undefined;
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number,
  ) {}
}

/** What `_rebuild_tensor_v2(storage, storage_offset, size, stride, …)` describes: a strided view of a storage. */
export class TensorRef {
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly size: number[],
    readonly stride: number[],
  ) {}
}

/** The marker GLOBAL gives for a storage class. */
export interface StorageType {
  readonly qualname: string;
  readonly marker: { storageDtype: DType };
}

function intList(v: unknown, what: string, source: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)) {
    throw new CheckpointError(`${source}: ${what} must be a tuple of non-negative integers, got ${pyRepr(v)}`);
  }
  return v as number[];
}

function rebuild(source: string, qualname: string): PickleCallable {
  return {
    qualname,
    call(args) {
      const [storage, offset, size, stride] = args;
      if (!(storage instanceof TorchStorage))
        throw new CheckpointError(`${source}: ${qualname} expects a storage, got ${pyRepr(storage)}`);
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
        throw new CheckpointError(
          `${source}: ${qualname} storage_offset must be a non-negative integer, got ${pyRepr(offset)}`,
        );
      }
      const sz = intList(size, `${qualname} size`, source);
      const st = intList(stride, `${qualname} stride`, source);
      if (sz.length !== st.length)
        throw new CheckpointError(
          `${source}: ${qualname} size ${shapeStr(sz)} and stride ${shapeStr(st)} differ in rank`,
        );
      return new TensorRef(storage, offset, sz, st);
    },
  };
}

/** The allow-list: only these globals may be referenced by a torch pickle. */
export function torchGlobals(source: string): Map<string, PickleGlobal> {
  const g = new Map<string, PickleGlobal>();
  const add = (v: PickleGlobal) => g.set(v.qualname, v);
  add({
    qualname: 'collections.OrderedDict',
    call(args) {
      const d = new Map<unknown, unknown>();
      const items = args[0];
      if (Array.isArray(items)) {
        for (const kv of items) {
          if (!Array.isArray(kv) || kv.length !== 2)
            throw new CheckpointError(`${source}: OrderedDict item ${pyRepr(kv)} is not a pair`);
          d.set(kv[0], kv[1]);
        }
      }
      return d;
    },
  });
  add(rebuild(source, 'torch._utils._rebuild_tensor_v2'));
  add(rebuild(source, 'torch._utils._rebuild_tensor'));
  const passData = (qualname: string): PickleCallable => ({
    qualname,
    call(args) {
      if (!(args[0] instanceof TensorRef))
        throw new CheckpointError(`${source}: ${qualname} expects a tensor, got ${pyRepr(args[0])}`);
      return args[0];
    },
  });
  add(passData('torch._utils._rebuild_parameter'));
  add(passData('torch._utils._rebuild_parameter_with_state'));
  add({
    qualname: 'torch._tensor._rebuild_from_type_v2',
    call(args) {
      const [fn, , inner] = args;
      if (typeof fn !== 'object' || fn === null || typeof (fn as PickleCallable).call !== 'function') {
        throw new CheckpointError(
          `${source}: _rebuild_from_type_v2 expects an allow-listed function, got ${pyRepr(fn)}`,
        );
      }
      if (!Array.isArray(inner))
        throw new CheckpointError(`${source}: _rebuild_from_type_v2 arguments must be a tuple, got ${pyRepr(inner)}`);
      return (fn as PickleCallable).call(inner);
    },
  });
  for (const cls of ['torch.Tensor', 'torch._tensor.Tensor', 'torch.nn.parameter.Parameter'])
    add({ qualname: cls, marker: { tensorClass: cls } });
  for (const [name, dtype] of Object.entries(STORAGE_DTYPES))
    add({ qualname: `torch.${name}`, marker: { storageDtype: dtype } });
  return g;
}

/** `torch.FloatStorage` (the GLOBAL marker) → dtype, or a CheckpointError naming what was found. */
export function storageDtype(v: unknown, source: string): DType {
  const m = (v as StorageType | undefined)?.marker;
  if (typeof m === 'object' && m !== null && 'storageDtype' in m) return m.storageDtype;
  throw new CheckpointError(
    `${source}: persistent id names storage type ${pyRepr(v)}, expected one of torch.${Object.keys(STORAGE_DTYPES).join(', torch.')}`,
  );
}

/** Largest tensor a checkpoint may describe (a JS typed array's practical limit). */
export const MAX_TENSOR_BYTES = 2 ** 32;

/**
 * Bytes the non-contiguous views of one checkpoint may copy out of their storages. torch.load keeps every view lazy;
 * albertjs copies each strided view into a contiguous tensor, so a file could otherwise make a tiny storage claim
 * gigabytes (eight stride-0 views of one float). A checkpoint's views together never need more than its storages hold.
 */
export interface CopyBudget {
  left: number;
  /** The storages' total size, for the message. */
  readonly total: number;
}

/** A contiguous tensor from a strided view of its storage (storage offset and strides in elements). */
export function materialize(
  ref: TensorRef,
  name: string,
  source: string,
  littleEndian = true,
  budget?: CopyBudget,
): Tensor {
  const { storage, offset, size, stride } = ref;
  const bytes = storage.bytes;
  if (!bytes) throw new CheckpointError(`${source}: storage ${storage.key} of tensor ${name} has no data`);
  const n = numel(size);
  const el = DTYPE_BYTES[storage.dtype];
  const where = `tensor ${name} (size ${shapeStr(size)}, stride ${shapeStr(stride)}, offset ${offset})`;
  if (n * el > MAX_TENSOR_BYTES) {
    throw new CheckpointError(
      `${source}: tensor ${name} of size ${shapeStr(size)} would take ${n * el} bytes (limit ${MAX_TENSOR_BYTES})`,
    );
  }
  let maxIndex = offset;
  for (let d = 0; d < size.length; d++) if (size[d]! > 0) maxIndex += (size[d]! - 1) * stride[d]!;
  if (n > 0 && maxIndex >= storage.numel) {
    throw new CheckpointError(
      `${source}: ${where} reaches element ${maxIndex} of storage ${storage.key} which holds ${storage.numel}`,
    );
  }
  // More elements than the storage holds from `offset` on: the view reads some of them twice (a zero stride on a
  // dimension longer than 1, an expanded or overlapping view). A saved state_dict never holds one.
  if (n > storage.numel - offset) {
    throw new CheckpointError(
      `${source}: ${where} has ${n} elements but storage ${storage.key} holds ${storage.numel - offset} from the offset on: an overlapping (zero-stride / expanded) view, which a state_dict does not hold; refusing to copy it`,
    );
  }
  let contiguous = true;
  for (let d = size.length - 1, s = 1; d >= 0; d--) {
    if (size[d]! !== 1 && stride[d]! !== s) contiguous = false;
    s *= size[d]!;
  }
  if (contiguous)
    return new Tensor(
      storage.dtype,
      typedArrayFromBytes(storage.dtype, bytes.subarray(offset * el, (offset + n) * el), littleEndian),
      size,
    );
  if (budget) {
    if (n * el > budget.left) {
      throw new CheckpointError(
        `${source}: copying the strided ${where} (${n * el} bytes) would make the checkpoint's views hold more than its storages (${budget.total} bytes): overlapping views, refusing to allocate`,
      );
    }
    budget.left -= n * el;
  }
  const src = typedArrayFromBytes(storage.dtype, bytes, littleEndian) as unknown as {
    [i: number]: number | bigint;
    length: number;
  };
  const Ctor = src.constructor as new (n: number) => typeof src;
  const out = new Ctor(n);
  const idx = new Array<number>(size.length).fill(0);
  for (let i = 0; i < n; i++) {
    let s = offset;
    for (let d = 0; d < size.length; d++) s += idx[d]! * stride[d]!;
    out[i] = src[s]!;
    for (let d = size.length - 1; d >= 0; d--) {
      if (++idx[d]! < size[d]!) break;
      idx[d] = 0;
    }
  }
  return new Tensor(storage.dtype, out as unknown as TensorData, size);
}

/**
 * The tensors of an unpickled state_dict. Views of the same storage region (the tied decoder weight and the
 * word embeddings) become the same Tensor object, as they are one tensor in torch.
 */
export function stateDictTensors(value: unknown, source: string, littleEndian = true): Map<string, Tensor> {
  if (!(value instanceof Map))
    throw new CheckpointError(`${source}: expected a state_dict (a dict of tensors), found ${pyRepr(value)}`);
  const out = new Map<string, Tensor>();
  const seen = new Map<string, Tensor>();
  const storages = new Set<TorchStorage>();
  for (const v of value.values()) if (v instanceof TensorRef) storages.add(v.storage);
  let total = 0;
  for (const s of storages) total += s.bytes?.byteLength ?? 0;
  const budget: CopyBudget = { left: total, total };
  for (const [k, v] of value) {
    if (!(v instanceof TensorRef)) continue;
    if (typeof k !== 'string') throw new CheckpointError(`${source}: state_dict key ${pyRepr(k)} is not a string`);
    const id = `${v.storage.key}|${v.offset}|${v.size.join(',')}|${v.stride.join(',')}`;
    let t = seen.get(id);
    if (!t) {
      t = materialize(v, k, source, littleEndian, budget);
      seen.set(id, t);
    }
    out.set(k, t);
  }
  if (!out.size) throw new CheckpointError(`${source}: the pickle holds no tensors`);
  return out;
}
