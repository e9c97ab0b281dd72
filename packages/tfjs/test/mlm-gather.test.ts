// The loss-only MLM path (logits at the labelled positions only) gives the loss and the gradients of
// the full [B, S, V] computation, and forward() still returns logits for every position.
import type { HeadName } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import type { TfjsAlbertModel } from '../src/index.js';
import { tf } from '../src/tf.js';
import { cpuBackend, ids, tinyModel } from './helpers.js';

const B = 3;
const S = 10;

/** Every third position labelled (with a duplicate target), the rest ignored. */
function mlmLabels(vocab: number): number[][] {
  return ids(B, S, vocab, 7).map((row, b) => row.map((t, s) => ((b * S + s) % 3 === 0 ? t : -100)));
}

function lossAndGrads(m: TfjsAlbertModel, inputs: Parameters<TfjsAlbertModel['prepare']>[0], lossOnly: boolean) {
  const prepared = m.prepare(inputs);
  const vars = [...m.params.variables.values()];
  const { value, grads } = tf.variableGrads(() => m.objective(m.run(prepared, { lossOnly })) as tf.Scalar, vars);
  const loss = value.dataSync()[0]!;
  const out = new Map<string, Float32Array>();
  for (const [name, v] of m.params.variables) {
    const g = grads[v.name];
    if (g) out.set(name, g.dataSync() as Float32Array);
  }
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: out };
}

describe.each(['AlbertForPreTraining', 'AlbertForMaskedLM'] as const satisfies readonly HeadName[])(
  '%s: MLM logits at the labelled positions only',
  (head) => {
    it('gives the same loss and gradients as the full computation', async () => {
      const m = await tinyModel(await cpuBackend(), head);
      const V = m.config.vocab_size;
      const inputs = {
        input_ids: ids(B, S, V),
        attention_mask: ids(B, S, 2, 5).map((r) => r.map((_, s) => (s < 8 ? 1 : 0))),
        labels: mlmLabels(V),
        ...(head === 'AlbertForPreTraining' ? { sentence_order_label: [0, 1, 1] } : {}),
      };
      const full = lossAndGrads(m, inputs, false);
      const gathered = lossAndGrads(m, inputs, true);
      expect(Number.isFinite(full.loss)).toBe(true);
      expect(Math.abs(gathered.loss - full.loss)).toBeLessThanOrEqual(1e-5);
      expect([...gathered.grads.keys()].sort()).toEqual([...full.grads.keys()].sort());
      let worst = 0;
      let nonzero = 0;
      for (const [name, g] of full.grads) {
        const h = gathered.grads.get(name)!;
        expect(h.length).toBe(g.length);
        for (let i = 0; i < g.length; i++) {
          worst = Math.max(worst, Math.abs(g[i]! - h[i]!));
          if (g[i] !== 0) nonzero++;
        }
      }
      expect(nonzero).toBeGreaterThan(1000); // the comparison covers real gradients
      expect(worst).toBeLessThanOrEqual(1e-5);

      // Only the loss path is gathered: the logits field there is [N, V], forward() keeps [B, S, V].
      const n = inputs.labels.flat().filter((t) => t !== -100).length;
      const field = head === 'AlbertForPreTraining' ? 'prediction_logits' : 'logits';
      const shape = tf.tidy(() => m.run(m.prepare(inputs), { lossOnly: true }).fields[field]!.shape);
      expect(shape).toEqual([n, V]);
      const out = (await m.forward(inputs)) as unknown as Record<string, { shape: number[] }>;
      expect(out[field]!.shape).toEqual([B, S, V]);
      m.dispose();
    });

    it('names the bad label with its position in the batch', async () => {
      const m = await tinyModel(await cpuBackend(), head);
      const labels = mlmLabels(m.config.vocab_size);
      labels[1]![4] = 999;
      const inputs = {
        input_ids: ids(B, S, m.config.vocab_size),
        labels,
        ...(head === 'AlbertForPreTraining' ? { sentence_order_label: [0, 1, 1] } : {}),
      };
      expect(() => m.run(m.prepare(inputs), { lossOnly: true })).toThrow(
        /labels\[14\] = 999 is out of range \[0, 50\)/,
      );
      m.dispose();
    });
  },
);
