import { bindWeights, loadPretrained, readCheckpointDir } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { listCases } from '../src/index.js';

describe('core loads every fixture model folder', () => {
  const cases = listCases().filter((c) => c.variant === 'eager' || c.variant === 'from-pretraining-ckpt');
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { config, tensors } = await readCheckpointDir(c.modelPath);
    const { report, weights } = bindWeights(c.modelClass, config, tensors);
    expect(report.missing).toEqual([]);
    expect(report.mismatched).toEqual([]);
    if (c.variant === 'from-pretraining-ckpt') {
      expect(report.unexpected.sort()).toEqual([...tensors.keys()].filter((k) => !k.startsWith('albert.')).sort());
    } else {
      expect(report.unexpected).toEqual([]);
    }
    if (c.modelClass === 'AlbertForMaskedLM' || c.modelClass === 'AlbertForPreTraining') {
      expect(weights.get('predictions.decoder.weight')).toBe(weights.get('albert.embeddings.word_embeddings.weight'));
    }
    // loadPretrained(folder) is the same load
    const viaPretrained = await loadPretrained(c.modelPath, c.modelClass);
    expect(viaPretrained.report).toEqual(report);
    expect(viaPretrained.format).toBe('safetensors');
    expect(viaPretrained.weights.keys().sort()).toEqual(weights.keys().sort());
  });
});
