import { ACTIVATION_REFERENCE, HIDDEN_ACTS } from '@albertjs/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, tf } from '../src/index.js';
import { cpuBackend } from './helpers.js';

describe('activations match their definitions (core ACTIVATION_REFERENCE, float64)', () => {
  beforeAll(async () => {
    await cpuBackend();
  });
  const xs = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
  it.each(HIDDEN_ACTS.map((a) => [a]))('%s', (act) => {
    const got = tf.tidy(() => ACTIVATIONS[act](tf.tensor1d(xs)).dataSync());
    let worst = 0;
    xs.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(got[i]! - ACTIVATION_REFERENCE[act](x)) / Math.max(1, Math.abs(x)));
    });
    expect(worst).toBeLessThan(2e-6);
  });
  it('gelu (erf) and gelu_new (tanh) are different functions', () => {
    const [a, b] = tf.tidy(() => [
      ACTIVATIONS.gelu(tf.scalar(-1.5)).dataSync()[0]!,
      ACTIVATIONS.gelu_new(tf.scalar(-1.5)).dataSync()[0]!,
    ]);
    expect(Math.abs(a - b)).toBeGreaterThan(1e-4);
  });
  it.each(['gelu_new', 'gelu_pytorch_tanh'] as const)(
    '%s: the hand-written gradient matches the derivative of the reference (central differences, float64)',
    (act) => {
      const grad = tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => ACTIVATIONS[act](x))(tf.tensor1d(xs))
          .dataSync(),
      );
      const h = 1e-5;
      let worst = 0;
      xs.forEach((x, i) => {
        const ref = (ACTIVATION_REFERENCE[act](x + h) - ACTIVATION_REFERENCE[act](x - h)) / (2 * h);
        worst = Math.max(worst, Math.abs(grad[i]! - ref));
      });
      expect(worst).toBeLessThan(1e-5);
    },
  );
});
