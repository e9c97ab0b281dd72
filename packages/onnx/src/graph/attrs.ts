// Typed ONNX node attributes: f(1e-12), i(1), ints([0, 2, 1, 3]), s('x').
import { type AttributeProto, onnx, type TensorProto } from './proto.js';

export type Attr =
  | { kind: 'f'; value: number }
  | { kind: 'i'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 's'; value: string }
  | { kind: 't'; value: TensorProto };

export const f = (value: number): Attr => ({ kind: 'f', value });
export const i = (value: number): Attr => ({ kind: 'i', value });
export const ints = (value: readonly number[]): Attr => ({ kind: 'ints', value });
export const s = (value: string): Attr => ({ kind: 's', value });
export const t = (value: TensorProto): Attr => ({ kind: 't', value });

const T = onnx.AttributeProto.AttributeType;

export function toAttributeProto(name: string, a: Attr): AttributeProto {
  switch (a.kind) {
    case 'f':
      return { name, type: T.FLOAT, f: a.value };
    case 'i':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 's':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 't':
      return { name, type: T.TENSOR, t: a.value };
  }
}
