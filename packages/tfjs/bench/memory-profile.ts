// Where a training step's memory goes: albert-base-v2 shape (seeded random weights), one loss +
// gradients computation of AlbertForSequenceClassification (what Trainer.trainStep differentiates),
// per attention implementation, with and without gradient checkpointing. Reports tf.profile's peak
// tensor bytes, the bytes the gradient tape keeps at the end of the forward pass grouped by the kernel
// that saved them, and the wasm heap (WebAssembly memory only grows: its size is the run's high-water mark).
// Usage: pnpm --filter @albertjs/tfjs exec tsx --conditions=@albertjs/source bench/memory-profile.ts [--runtime wasm] [--shapes 1x128,2x256] [--attn eager,sdpa] [--checkpointing off,on] [--layers N]
import { parseArgs } from 'node:util';
import { AlbertConfig, type AttnImplementation } from '@albertjs/core';
import { createBackend, initWeights, mulberry32, type RuntimeName, type TfjsAlbertModel, tf } from '../src/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    runtime: { type: 'string', default: 'wasm' },
    shapes: { type: 'string', default: '1x128' },
    attn: { type: 'string', default: 'eager,sdpa' },
    checkpointing: { type: 'string', default: 'off,on' },
    preset: { type: 'string', default: 'albert-base-v2' },
    /**
     * Override num_hidden_layers: with checkpointing the peak is one layer's recompute plus one [B, S, H]
     * input per layer application, so a 1-layer run measures the first part of a shape too slow to run in full.
     */
    layers: { type: 'string' },
  },
});

const MB = 2 ** 20;
const backend = await createBackend({ runtime: values.runtime as RuntimeName });
const config = AlbertConfig.fromPreset(values.preset, {
  num_labels: 2,
  ...(values.layers !== undefined ? { num_hidden_layers: Number(values.layers) } : {}),
});
const head = 'AlbertForSequenceClassification';
const weights = initWeights(head, config, 0);
console.log(
  `# ${await backend.describe()}; ${values.preset}, ${config.num_hidden_layers} layers; ${new Date().toISOString()}`,
);

/** Bytes of the tensors the active gradient tape keeps for the backward pass, by the kernel that saved them. */
function tapeBytes(): Map<string, number> {
  const tape = tf.engine().state.activeTape ?? [];
  const seen = new Set<unknown>();
  const out = new Map<string, number>();
  for (const node of tape) {
    for (const t of node.saved ?? []) {
      if (seen.has(t.dataId)) continue;
      seen.add(t.dataId);
      const name = node.kernelName || 'customGrad';
      out.set(name, (out.get(name) ?? 0) + t.size * 4);
    }
  }
  return out;
}

for (const shape of values.shapes.split(',')) {
  const [B, S] = shape.split('x').map(Number) as [number, number];
  const rand = mulberry32(12345);
  const ids = Array.from({ length: B }, () => Array.from({ length: S }, () => Math.floor(rand() * config.vocab_size)));
  const inputs = { input_ids: ids, labels: ids.map((_, i) => i % 2) };
  for (const attn of values.attn.split(',') as AttnImplementation[]) {
    for (const mode of values.checkpointing.split(',')) {
      const model = (await backend.loadModel(head, config, weights, { attnImplementation: attn })) as TfjsAlbertModel;
      model.gradientCheckpointing = mode === 'on';
      const prepared = model.prepare(inputs);
      const vars = [...model.params.variables.values()];
      let kept = new Map<string, number>();
      const t0 = performance.now();
      try {
        const info = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(() => {
            const loss = model.objective(model.run(prepared, { training: true, lossOnly: true, seed: 1 }));
            kept = tapeBytes();
            return loss as tf.Scalar;
          }, vars);
          tf.dispose([value, ...Object.values(grads)]);
        });
        const ms = performance.now() - t0;
        const total = [...kept.values()].reduce((a, b) => a + b, 0);
        const top = [...kept]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([k, v]) => `${k} ${(v / MB).toFixed(0)}`)
          .join(', ');
        const heap = backend.memory().peakBytes; // the wasm heap (undefined on cpu)
        console.log(
          `${B}×${S} ${attn} checkpointing ${mode}: peak ${(info.peakBytes / MB).toFixed(0)} MB, ` +
            `tape keeps ${(total / MB).toFixed(0)} MB after the forward (${top}), ` +
            `${heap !== undefined ? `wasm heap ${(heap / MB).toFixed(0)} MB, ` : ''}${(ms / 1000).toFixed(1)} s`,
        );
      } catch (e) {
        console.log(`${B}×${S} ${attn} checkpointing ${mode}: failed: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        model.dispose();
      }
    }
  }
}
