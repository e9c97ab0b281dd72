// Gradients in Node come from generated/register-gradients.node.js (tfjs-core's register_all_gradients bundled
// by scripts/bundle-gradients.mjs; package.json `imports` → `#tf-gradients`): it must be what the installed
// tfjs-core gives, and every gradient tfjs-core ships must be registered.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { bundleGradients } from '../scripts/bundle-gradients.mjs';
import { tf } from '../src/tf.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('#tf-gradients in Node', () => {
  it('generated/register-gradients.node.js is what the installed tfjs-core gives', async () => {
    const committed = readFileSync(join(here, '../generated/register-gradients.node.js'), 'utf8');
    expect((await bundleGradients()) === committed, 'run node packages/tfjs/scripts/bundle-gradients.mjs').toBe(true);
  });

  it('registers the gradient of every kernel tfjs-core has a *_grad.js for', () => {
    const core = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json'));
    const kernels = readdirSync(join(core, 'dist/gradients'))
      .filter((f) => f.endsWith('_grad.js'))
      .map((f) => f.replace(/_grad\.js$/, ''));
    expect(kernels.length).toBeGreaterThan(90);
    expect(kernels.filter((k) => !tf.getGradient(k))).toEqual([]);
  });

  it('a gradient through tfjs-core ops matches the closed form: d/dx sum(tanh(x)²) = 2 tanh(x)(1 - tanh(x)²)', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor1d([-1.5, -0.25, 0.5, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.tanh(v))))(x);
    const want = [-1.5, -0.25, 0.5, 2].map((v) => 2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2));
    const got = Array.from(g.dataSync());
    for (let i = 0; i < 4; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-6);
  });
});
