// tfjs' customGrad as this package uses it: the forward gets the tensor inputs and, last, tfjs' save
// function, and returns its single output with a gradient of that output's cotangent `dy`.
import { tf } from './tf.js';

/** Gradients of the inputs (in order) from the output's cotangent and the tensors the forward saved. */
export type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

/** tf.customGrad for a single-output `forward`, typed, with `dy` always one tensor. */
export function customGrad(
  forward: (...args: never[]) => { value: tf.Tensor; gradFunc: GradFunc },
): (...inputs: tf.Tensor[]) => tf.Tensor {
  const f = (...args: unknown[]) => {
    const { value, gradFunc } = (forward as (...a: unknown[]) => { value: tf.Tensor; gradFunc: GradFunc })(...args);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => gradFunc(Array.isArray(dy) ? dy[0]! : dy, saved),
    };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor;
}
