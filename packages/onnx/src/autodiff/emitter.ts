// Where gradient rules emit their ops: the builder of the training graph, with every new value's shape
// inferred as it is created, and the helpers the rules share (zeros, reshape-like, un-broadcasting).
import { type Attr, i } from '../graph/attrs.js';
import type { GraphBuilder, OpOptions } from '../graph/builder.js';
import type { NodeProto } from '../graph/proto.js';
import type { Dim, ShapeInfo } from './shapes.js';

export class GradEmitter {
  constructor(
    readonly g: GraphBuilder,
    readonly s: ShapeInfo,
  ) {}

  op(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, options: OpOptions = {}): string {
    return this.opN(opType, inputs, attrs, options)[0]!;
  }

  opN(opType: string, inputs: readonly string[], attrs: Record<string, Attr> = {}, options: OpOptions = {}): string[] {
    const outs = this.g.opN(opType, inputs, attrs, options);
    this.s.infer(this.g.nodes[this.g.nodes.length - 1] as NodeProto);
    return outs;
  }

  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const v = this.g.i64(values, dims);
    this.s.set(v, [...dims], 'int64', [...values]);
    return v;
  }

  f32(value: number): string {
    const v = this.g.f32(value);
    this.s.set(v, [], 'float32');
    return v;
  }

  shape(x: string): Dim[] {
    return this.s.shape(x);
  }

  rank(x: string): number {
    return this.s.rank(x);
  }

  zerosLike(x: string): string {
    return this.op('ConstantOfShape', [this.op('Shape', [x])]);
  }

  /** `dy` reshaped to the shape of `x` (same element count). */
  reshapeLike(dy: string, x: string): string {
    return this.op('Reshape', [dy, this.op('Shape', [x])]);
  }

  /**
   * The gradient of a broadcast input: `dy` summed over the axes `x` was broadcast along (leading axes it
   * lacks and its literal-1 dims), in the shape of `x`.
   * https://github.com/microsoft/onnxruntime/blob/00806ce9babdd0e5d7b40c77819f0416f0a1eac9/orttraining/orttraining/core/graph/gradient_builder_base.cc (HandleBroadcasting)
   */
  unbroadcast(dy: string, x: string): string {
    const yd = this.shape(dy);
    const xd = this.shape(x);
    const lead = yd.length - xd.length;
    const axes: number[] = [];
    for (let k = 0; k < yd.length; k++) if (k < lead || (xd[k - lead] === 1 && yd[k] !== 1)) axes.push(k);
    if (axes.length === 0) return dy;
    const summed = this.op('ReduceSum', [dy, this.i64(axes)], { keepdims: i(1) });
    return lead === 0 ? summed : this.reshapeLike(summed, x); // the shape of x
  }

  /** Swaps the last two axes. */
  transposeLast2(x: string): string {
    const r = this.rank(x);
    const perm = Array.from({ length: r }, (_, k) => k);
    perm[r - 1] = r - 2;
    perm[r - 2] = r - 1;
    return this.op('Transpose', [x], { perm: { kind: 'ints', value: perm } });
  }
}
