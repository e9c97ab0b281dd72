import { headParams, Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/index.js';
import { cpuBackend, ids, tinyConfig, tinyModel } from './helpers.js';

describe('tensor lifetime', () => {
  it('1,000 forward calls leave tf.memory().numTensors unchanged (eager with all outputs, sdpa, labels)', async () => {
    const b = await cpuBackend();
    const c = tinyConfig({
      num_hidden_layers: 2,
      num_hidden_groups: 1,
      inner_group_num: 1,
      max_position_embeddings: 8,
    });
    const model = await tinyModel(b, 'AlbertForMaskedLM', c);
    const x = ids(1, 4, c.vocab_size);
    const opts = [
      { outputHiddenStates: true, outputAttentions: true, attnImplementation: 'eager' as const },
      { attnImplementation: 'sdpa' as const },
    ];
    await model.forward({ input_ids: x, labels: x }, opts[0]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) {
      const out = await model.forward(
        { input_ids: x, labels: x, head_mask: Tensor.f32([1, 0.5, 1, 0], [4]) },
        opts[i % 2],
      );
      expect(out.logits.shape).toEqual([1, 4, c.vocab_size]);
    }
    expect(tf.memory().numTensors).toBe(before);
    await model.gradients({ input_ids: x, labels: x });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('dispose() frees every weight, and a disposed model refuses to run', async () => {
    const b = await cpuBackend();
    const before = tf.memory().numTensors;
    const model = await tinyModel(b, 'AlbertForPreTraining');
    // Shared layers are one tensor each: 2 groups × 2 inner layers, tied decoder = word embeddings.
    const unique = headParams('AlbertForPreTraining', model.config).length;
    expect(model.params.variables.size).toBe(unique);
    expect(model.params.get('predictions.decoder.weight')).toBe(
      model.params.get('albert.embeddings.word_embeddings.weight'),
    );
    expect(tf.memory().numTensors - before).toBe(model.params.variables.size);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.forward({ input_ids: [[1, 2]] })).rejects.toThrow(/disposed/);
  });
});
