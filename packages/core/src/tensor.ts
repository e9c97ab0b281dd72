import { InputError } from './errors.js';

/** dtypes as named by safetensors / torch. */
export type DType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

export type FloatArray = Float32Array | Float64Array;
export type IntArray = BigInt64Array | Int32Array;
/** Storage of a tensor; f16/bf16 are kept as raw Uint16Array bits. */
export type TensorData =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array;

/** What Tensor.tolist() gives: a value, or arrays nested `shape.length` deep. */
export type TensorList = number | bigint | TensorList[];

/** A typed array plus a shape: the only tensor type that crosses package boundaries. */
export class Tensor<D extends TensorData = TensorData> {
  constructor(
    readonly dtype: DType,
    readonly data: D,
    readonly shape: readonly number[],
  ) {
    for (const d of shape)
      if (!Number.isSafeInteger(d) || d < 0)
        throw new InputError(`Tensor shape [${shape.join(', ')}] has dimension ${d}: dimensions are integers ≥ 0`);
    const n = numel(shape);
    if (n !== data.length) {
      throw new InputError(`Tensor of shape [${shape.join(', ')}] needs ${n} elements, got ${data.length}`);
    }
  }
  get size(): number {
    return this.data.length;
  }
  /** The shape, under transformers.js' name (`Tensor.dims`). */
  get dims(): readonly number[] {
    return this.shape;
  }
  /**
   * The values as nested JavaScript arrays of `shape` (a 0-d tensor gives its one value), as transformers.js'
   * `Tensor.tolist()`: int64 stays bigint; float16 / bfloat16 bits are decoded to numbers; bool gives 0 / 1.
   */
  tolist(): TensorList {
    const d = this.data;
    const at: (i: number) => number | bigint =
      this.dtype === 'float16'
        ? (i) => f16ToF32(d[i] as number)
        : this.dtype === 'bfloat16'
          ? (i) => bf16ToF32(d[i] as number)
          : (i) => d[i]!;
    const build = (axis: number, offset: number): TensorList => {
      if (axis === this.shape.length) return at(offset);
      const n = this.shape[axis]!;
      const stride = numel(this.shape.slice(axis + 1));
      return Array.from({ length: n }, (_, j) => build(axis + 1, offset + j * stride));
    };
    return build(0, 0);
  }
  /**
   * `x instanceof Tensor` is structural: any `{ dtype, data: TypedArray, shape }` whose sizes agree counts,
   * so tensors made by another copy of this package or by @albertjs/tokenizer's `returnTensors` (which does
   * not depend on core) are accepted everywhere a Tensor is.
   */
  static [Symbol.hasInstance](v: unknown): boolean {
    if (typeof v !== 'object' || v === null) return false;
    const t = v as { dtype?: unknown; data?: unknown; shape?: unknown };
    return (
      typeof t.dtype === 'string' &&
      ArrayBuffer.isView(t.data) &&
      Array.isArray(t.shape) &&
      numel(t.shape as number[]) === (t.data as unknown as ArrayLike<unknown>).length
    );
  }
  static f32(data: Float32Array | number[], shape: readonly number[]): Tensor<Float32Array> {
    return new Tensor('float32', data instanceof Float32Array ? data : Float32Array.from(data), shape);
  }
  static i64(data: BigInt64Array | number[], shape: readonly number[]): Tensor<BigInt64Array> {
    return new Tensor(
      'int64',
      data instanceof BigInt64Array ? data : BigInt64Array.from(data, (x) => BigInt(x)),
      shape,
    );
  }
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeStr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** IEEE half bits → float. */
export function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** float → IEEE half bits (round to nearest even). */
export function f32ToF16(v: number): number {
  f32buf[0] = v;
  const x = u32buf[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >> 10;
  return sign | h;
}

export function bf16ToF32(b: number): number {
  u32buf[0] = b << 16;
  return f32buf[0]!;
}

/** Converts any numeric tensor to float32 (f16/bf16 widened exactly). */
export function toFloat32(t: Tensor): Tensor<Float32Array> {
  if (t.dtype === 'float32') return t as Tensor<Float32Array>;
  const out = new Float32Array(t.size);
  const d = t.data;
  if (t.dtype === 'float16') for (let i = 0; i < out.length; i++) out[i] = f16ToF32((d as Uint16Array)[i]!);
  else if (t.dtype === 'bfloat16') for (let i = 0; i < out.length; i++) out[i] = bf16ToF32((d as Uint16Array)[i]!);
  else if (d instanceof BigInt64Array) for (let i = 0; i < out.length; i++) out[i] = Number(d[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = Number(d[i]!);
  return new Tensor('float32', out, t.shape);
}

/**
 * An integer tensor from elsewhere with Tensor's fields (e.g. @albertjs/tokenizer's `returnTensors` output, which
 * does not depend on core): `x instanceof Tensor` is structural, so it is accepted as it is.
 */
export interface IdsTensorLike {
  readonly dtype: 'int32' | 'int64';
  readonly data: BigInt64Array | Int32Array;
  readonly shape: readonly number[];
}

/** Integer-id inputs as accepted at the public API: int64, int32 tensors or nested number arrays. */
export type IdsLike =
  | IdsTensorLike
  | Tensor<BigInt64Array | Int32Array>
  | Tensor<BigInt64Array>
  | Tensor<Int32Array>
  | BigInt64Array
  | Int32Array
  | number[]
  | number[][]
  | number[][][];

/**
 * Normalizes ids to an Int32Array tensor with the shape given or inferred, and names the input in errors.
 * `number[][]` gives [batch, seq]; a flat array needs `shape`.
 */
export function toInt32Ids(name: string, ids: IdsLike, shape?: readonly number[]): Tensor<Int32Array> {
  if (ids instanceof Tensor) {
    if (ids.dtype !== 'int64' && ids.dtype !== 'int32') {
      throw new InputError(`${name} must be int64 or int32, got dtype ${ids.dtype}`);
    }
    const src = ids.data as BigInt64Array | Int32Array;
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = Number(src[i]!);
      if (!Number.isSafeInteger(v) || v > 2147483647 || v < -2147483648) {
        throw new InputError(`${name}[${i}] = ${src[i]} does not fit in int32`);
      }
      out[i] = v;
    }
    return new Tensor('int32', out, ids.shape);
  }
  if (ids instanceof BigInt64Array || ids instanceof Int32Array) {
    if (!shape) throw new InputError(`${name}: a flat ${ids.constructor.name} needs an explicit shape`);
    return toInt32Ids(name, new Tensor(ids instanceof BigInt64Array ? 'int64' : 'int32', ids, shape));
  }
  if (!Array.isArray(ids))
    throw new InputError(`${name} must be a Tensor, typed array or nested number[], got ${typeof ids}`);
  const dims: number[] = [];
  let cur: unknown = ids;
  while (Array.isArray(cur)) {
    dims.push(cur.length);
    cur = cur[0];
  }
  const flat = (ids as unknown[]).flat(dims.length) as unknown[];
  if (flat.length !== numel(dims))
    throw new InputError(`${name} is a ragged array (inferred shape ${shapeStr(dims)}); pad it first`);
  const out = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new InputError(`${name}: element ${i} is ${String(v)}, not an integer`);
    out[i] = v;
  }
  return new Tensor('int32', out, shape ?? (dims.length === 1 ? [1, dims[0]!] : dims));
}
