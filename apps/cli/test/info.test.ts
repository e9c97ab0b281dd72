import { AlbertConfig, bindWeights, countParameters, readCheckpointDir } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { FIXTURES, model, run } from './helpers.js';

describe('albert info', () => {
  it('prints config, parameter count, loadable heads and the load report of a model folder', async () => {
    const r = await run('info', model('groups', 'AlbertForMaskedLM'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('architecture  AlbertForMaskedLM');
    expect(r.out).toContain('6 layers in 3 group(s) × 2 inner');
    expect(r.out).toContain('loadable: AlbertForMaskedLM\n');
    // The MLM checkpoint has no pooler: AlbertModel would start with 2 uninitialized weights.
    expect(r.out).toContain('AlbertModel (2 missing)');
    expect(r.out).toContain('load report   AlbertForMaskedLM: 0 missing, 0 unexpected, 0 mismatched');
  });

  it('counts shared layers once: the total equals the distinct tensors stored in the checkpoint', async () => {
    const dir = model('groups', 'AlbertForSequenceClassification');
    const r = await run('info', dir, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out);
    const { config, tensors } = await readCheckpointDir(dir);
    let stored = 0;
    for (const t of tensors.values()) stored += t.size;
    expect(info.parameters.total).toBe(stored);
    expect(info.checkpointParameters).toBe(stored);
    // 6 layers over 3 groups: each group's layers are applied twice, so unsharing adds them once more.
    expect(config.num_hidden_layers / config.num_hidden_groups).toBe(2);
    let shared = 0;
    for (const [k, t] of tensors) if (k.includes('.albert_layer_groups.')) shared += t.size;
    expect(info.parameters.unsharedEquivalent - info.parameters.total).toBe(shared);
  });

  it('does not count the tied decoder twice', async () => {
    const dir = model('tiny', 'AlbertForPreTraining');
    const { config, tensors } = await readCheckpointDir(dir);
    const { weights } = bindWeights('AlbertForPreTraining', config, tensors);
    expect(weights.has('predictions.decoder.weight')).toBe(true);
    let stored = 0;
    for (const t of tensors.values()) stored += t.size;
    expect(countParameters(config, 'AlbertForPreTraining').total).toBe(stored);
  });

  it('gives albert-base-v2 its published size (11.7M) from the preset, without weights', async () => {
    const r = await run('info', 'albert-base-v2', '--preset', '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out);
    expect(info.parameters.total).toBe(countParameters(AlbertConfig.fromPreset('albert-base-v2'), 'AlbertModel').total);
    expect(Math.round(info.parameters.total / 1e5) / 10).toBe(11.7);
  });

  it('reads every checkpoint format: pytorch_model.bin alone in a folder gives the same count', async () => {
    const { mkdtempSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'albert-bin-'));
    copyFileSync(join(model('tiny', 'AlbertForMaskedLM'), 'config.json'), join(dir, 'config.json'));
    copyFileSync(
      join(FIXTURES, 'checkpoints/tiny/AlbertForMaskedLM/pytorch_model.bin'),
      join(dir, 'pytorch_model.bin'),
    );
    const a = JSON.parse((await run('info', dir, '--json')).out);
    const b = JSON.parse((await run('info', model('tiny', 'AlbertForMaskedLM'), '--json')).out);
    expect(a.files[0]).toMatch(/pytorch_model\.bin$/);
    expect(a.parameters).toEqual(b.parameters);
    // The .bin stores the tied decoder weight; it is bound to the embeddings, not reported unexpected.
    expect(a.loadReport).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
  });

  it('reports the head weights as unexpected when a pre-training checkpoint is read as AlbertModel', async () => {
    const r = await run('info', model('tiny', 'AlbertForPreTraining'), '--head', 'AlbertModel', '--json');
    const info = JSON.parse(r.out);
    expect(info.loadReport.missing).toEqual([]);
    expect(info.loadReport.unexpected).toContain('sop_classifier.classifier.weight');
    expect(info.loadReport.unexpected).toContain('predictions.dense.weight');
  });
});
