// core Tensor ↔ tf.Tensor.
import { Tensor } from '@albertjs/core';
import { tf } from './tf.js';

export function toTf(t: Tensor<Float32Array> | Tensor<Int32Array>): tf.Tensor {
  return tf.tensor(t.data, [...t.shape], t.dtype === 'int32' ? 'int32' : 'float32');
}

/** Reads a float tensor back (does not dispose it). */
export async function fromTf(t: tf.Tensor): Promise<Tensor<Float32Array>> {
  const d = await t.data();
  const data = d instanceof Float32Array ? new Float32Array(d) : Float32Array.from(d as ArrayLike<number>);
  return new Tensor('float32', data, t.shape);
}

export function fromTfSync(t: tf.Tensor): Tensor<Float32Array> {
  const d = t.dataSync();
  const data = d instanceof Float32Array ? new Float32Array(d) : Float32Array.from(d as ArrayLike<number>);
  return new Tensor('float32', data, t.shape);
}
