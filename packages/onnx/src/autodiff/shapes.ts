// Static shape inference over a flat ONNX node list, just enough for reverse-mode differentiation: the
// rank of every value, each dimension as a number or a symbol (`batch`, `sequence`, `?3`), the element
// type, and the values of small int64 tensors (constants, Shape outputs) that Reshape / Unsqueeze read.
// Symbolic dimensions are never 1: only a literal 1 broadcasts (true of every graph albertjs builds).
import type { GraphBuilder } from '../graph/builder.js';
import { type Elem, type NodeProto, ONNX_TO_ELEM } from '../graph/proto.js';
import { attrInt, attrInts, attrTensor, tensorDims } from './attrs-read.js';

export type Dim = number | string;

export class ShapeInfo {
  readonly dims = new Map<string, Dim[]>();
  readonly elems = new Map<string, Elem>();
  /** Values of small int64 tensors, flattened. */
  readonly values = new Map<string, Dim[]>();
  private unknown = 0;

  fresh(): string {
    return `?${this.unknown++}`;
  }

  shape(v: string): Dim[] {
    const d = this.dims.get(v);
    if (!d) throw new Error(`no shape known for value ${v}`);
    return d;
  }

  rank(v: string): number {
    return this.shape(v).length;
  }

  elem(v: string): Elem {
    return this.elems.get(v) ?? 'float32';
  }

  isFloat(v: string): boolean {
    return this.elem(v) === 'float32' || this.elem(v) === 'float16';
  }

  set(v: string, dims: Dim[], elem: Elem, value?: Dim[]): void {
    this.dims.set(v, dims);
    this.elems.set(v, elem);
    if (value) this.values.set(v, value);
  }

  /** Graph inputs and initializers of `g` (int64 initializer values are read). */
  static fromGraph(g: GraphBuilder): ShapeInfo {
    const s = new ShapeInfo();
    for (const i of g.inputs) s.set(i.name, [...i.dims], i.elem);
    for (const t of g.initializers.values()) {
      const value =
        t.elem === 'int64' && t.bytes.byteLength <= 64 * 8
          ? Array.from(new BigInt64Array(t.bytes.slice().buffer), Number)
          : undefined;
      s.set(t.name, [...t.dims], t.elem, value);
    }
    return s;
  }

  /** Infers the outputs of `nodes` in order. */
  inferAll(nodes: readonly NodeProto[]): void {
    for (const n of nodes) this.infer(n);
  }

  /** Infers the outputs of `n` (true: done; an op without a rule throws). */
  infer(n: NodeProto): true {
    const ins = n.input ?? [];
    const outs = n.output ?? [];
    const x = ins[0] ?? '';
    const out = (k: number, dims: Dim[], elem: Elem, value?: Dim[]): true => {
      if (outs[k]) this.set(outs[k], dims, elem, value);
      return true;
    };
    const same = () => out(0, [...this.shape(x)], this.elem(x));
    switch (n.opType) {
      case 'Identity':
      case 'Erf':
      case 'Tanh':
      case 'Sigmoid':
      case 'Relu':
      case 'Neg':
      case 'Exp':
      case 'Log':
      case 'Abs':
      case 'Sign':
      case 'Sqrt':
      case 'Reciprocal':
      case 'Softmax':
      case 'LogSoftmax':
      case 'Softplus':
      case 'ScatterND':
      case 'ScatterElements':
        return same();
      case 'Not':
        return out(0, [...this.shape(x)], 'bool');
      case 'Cast': {
        const to = ONNX_TO_ELEM[attrInt(n, 'to', 1)] ?? 'float32';
        return out(0, [...this.shape(x)], to, this.values.get(x));
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
      case 'Pow':
      case 'Sum':
        return out(0, this.broadcast(ins.map((v) => this.shape(v))), this.elem(x));
      case 'Equal':
      case 'Greater':
      case 'Less':
      case 'And':
      case 'Or':
        return out(0, this.broadcast(ins.map((v) => this.shape(v))), 'bool');
      case 'Where':
        return out(0, this.broadcast(ins.map((v) => this.shape(v))), this.elem(ins[1]!));
      case 'MatMul': {
        const a = this.shape(x);
        const b = this.shape(ins[1]!);
        if (a.length < 2 || b.length < 2) throw new Error(`MatMul of rank ${a.length} × ${b.length} is not supported`);
        const batch = this.broadcast([a.slice(0, -2), b.slice(0, -2)]);
        return out(0, [...batch, a[a.length - 2]!, b[b.length - 1]!], this.elem(x));
      }
      case 'Gemm': {
        const a = this.shape(x);
        const b = this.shape(ins[1]!);
        const m = attrInt(n, 'transA', 0) ? a[1]! : a[0]!;
        const k = attrInt(n, 'transB', 0) ? b[0]! : b[1]!;
        return out(0, [m, k], this.elem(x));
      }
      case 'Transpose': {
        const d = this.shape(x);
        const perm = attrInts(n, 'perm') ?? d.map((_, k) => d.length - 1 - k);
        return out(
          0,
          perm.map((p) => d[p]!),
          this.elem(x),
        );
      }
      case 'Reshape':
        return out(0, this.reshaped(this.shape(x), this.valueOf(ins[1]!)), this.elem(x));
      case 'Flatten': {
        const d = this.shape(x);
        const axis = norm(attrInt(n, 'axis', 1), d.length);
        return out(0, [this.product(d.slice(0, axis)), this.product(d.slice(axis))], this.elem(x));
      }
      case 'Unsqueeze': {
        const d = [...this.shape(x)];
        const axes = this.valueOf(ins[1]!).map(Number);
        const r = d.length + axes.length;
        for (const a of axes.map((a) => norm(a, r)).sort((p, q) => p - q)) d.splice(a, 0, 1);
        const v = this.values.get(x);
        return out(0, d, this.elem(x), v);
      }
      case 'Squeeze': {
        const d = this.shape(x);
        const axes = ins[1] ? this.valueOf(ins[1]).map((a) => norm(Number(a), d.length)) : undefined;
        const kept = d.filter((v, k) => (axes ? !axes.includes(k) : v !== 1));
        return out(0, kept, this.elem(x), this.values.get(x));
      }
      case 'Gather': {
        const d = this.shape(x);
        const idx = this.shape(ins[1]!);
        const axis = norm(attrInt(n, 'axis', 0), d.length);
        const v = this.values.get(x);
        const iv = this.values.get(ins[1]!);
        const value =
          v && iv && axis === 0
            ? iv.map((k) => v[norm(Number(k), v.length)]!).filter((e) => e !== undefined)
            : undefined;
        return out(0, [...d.slice(0, axis), ...idx, ...d.slice(axis + 1)], this.elem(x), value);
      }
      case 'GatherElements':
        return out(0, [...this.shape(ins[1]!)], this.elem(x));
      case 'Shape': {
        const d = this.shape(x);
        const start = norm(attrInt(n, 'start', 0), d.length);
        const end = norm(attrInt(n, 'end', d.length), d.length);
        const v = d.slice(start, Math.max(start, end));
        return out(0, [v.length], 'int64', v);
      }
      case 'Size':
        return out(0, [], 'int64', [this.product(this.shape(x))]);
      case 'Concat': {
        const ds = ins.map((v) => this.shape(v));
        const axis = norm(attrInt(n, 'axis', 0), ds[0]!.length);
        const d = [...ds[0]!];
        d[axis] = ds
          .map((e) => e[axis]!)
          .reduce((p, q) => (typeof p === 'number' && typeof q === 'number' ? p + q : this.fresh()));
        const vs = ins.map((v) => this.values.get(v));
        const value = axis === 0 && vs.every((v) => v) ? vs.flatMap((v) => v!) : undefined;
        return out(0, d, this.elem(x), value);
      }
      case 'Range':
        return out(0, [this.fresh()], this.elem(x));
      case 'NonZero':
        return out(0, [this.shape(x).length, this.fresh()], 'int64');
      case 'Split': {
        const d = this.shape(x);
        const axis = norm(attrInt(n, 'axis', 0), d.length);
        const sizes = ins[1] ? this.valueOf(ins[1]) : undefined;
        outs.forEach((_, k) => {
          const e = [...d];
          e[axis] = sizes?.[k] ?? this.fresh();
          out(k, e, this.elem(x));
        });
        return true;
      }
      case 'LayerNormalization': {
        const d = this.shape(x);
        const axis = norm(attrInt(n, 'axis', -1), d.length);
        out(0, [...d], this.elem(x));
        const stats = d.map((v, k) => (k < axis ? v : 1));
        out(1, stats, 'float32');
        return out(2, [...stats], 'float32');
      }
      case 'ConstantOfShape': {
        const t = attrTensor(n, 'value');
        const elem = t ? (ONNX_TO_ELEM[t.dataType ?? 1] ?? 'float32') : 'float32';
        return out(0, this.valueOf(x), elem);
      }
      case 'Expand':
        return out(0, this.broadcast([this.shape(x), this.valueOf(ins[1]!)]), this.elem(x));
      case 'ReduceSum':
      case 'ReduceMean': {
        const d = this.shape(x);
        const raw = n.opType === 'ReduceSum' && ins[1] ? this.valueOf(ins[1]) : attrInts(n, 'axes');
        const axes = raw?.length ? raw.map((a) => norm(Number(a), d.length)) : d.map((_, k) => k);
        const keep = attrInt(n, 'keepdims', 1) === 1;
        const dims = keep ? d.map((v, k) => (axes.includes(k) ? 1 : v)) : d.filter((_, k) => !axes.includes(k));
        return out(0, dims, this.elem(x));
      }
      case 'Constant': {
        const t = attrTensor(n, 'value');
        if (!t) throw new Error('Constant without a tensor value');
        const elem = ONNX_TO_ELEM[t.dataType ?? 1] ?? 'float32';
        const dims = tensorDims(t);
        const raw = t.rawData;
        const value =
          elem === 'int64' && raw && raw.byteLength <= 64 * 8
            ? Array.from(new BigInt64Array(raw.slice().buffer), Number)
            : undefined;
        return out(0, dims, elem, value);
      }
      default:
        throw new Error(`shape inference: no rule for ${n.domain ? `${n.domain}.` : ''}${n.opType}`);
    }
  }

  /** The known int64 value of `v` (a constant, a Shape …). */
  valueOf(v: string): Dim[] {
    const value = this.values.get(v);
    if (!value) throw new Error(`the value of ${v} is not known statically`);
    return value;
  }

  broadcast(shapes: Dim[][]): Dim[] {
    const r = Math.max(...shapes.map((s) => s.length));
    const out: Dim[] = [];
    for (let k = 0; k < r; k++) {
      let d: Dim = 1;
      for (const s of shapes) {
        const e = s[s.length - r + k] ?? 1;
        if (e === 1) continue;
        if (d === 1 || typeof d === 'string') d = e;
      }
      out.push(d);
    }
    return out;
  }

  private product(d: Dim[]): Dim {
    return d.every((v) => typeof v === 'number')
      ? (d as number[]).reduce((p, q) => p * q, 1)
      : d.length === 1
        ? d[0]!
        : this.fresh();
  }

  private reshaped(src: Dim[], target: Dim[]): Dim[] {
    const out = target.map((t, k) => (t === 0 ? src[k]! : t));
    const minus = out.indexOf(-1);
    if (minus >= 0) {
      const known = out.filter((_, k) => k !== minus);
      const num = (d: Dim[]) => d.every((v) => typeof v === 'number');
      if (num(src) && num(known)) {
        const total = (src as number[]).reduce((p, q) => p * q, 1);
        out[minus] = total / (known as number[]).reduce((p, q) => p * q, 1);
      } else {
        // The dims of the source not matched by the target's named dims.
        const rest = src.filter((d) => !known.includes(d));
        out[minus] = rest.length === 1 ? rest[0]! : this.fresh();
      }
    }
    return out;
  }
}

/** A possibly negative axis as 0..rank-1 (rank for end-exclusive bounds). */
export function norm(axis: number, rank: number): number {
  return Math.min(Math.max(axis < 0 ? axis + rank : axis, 0), rank);
}
