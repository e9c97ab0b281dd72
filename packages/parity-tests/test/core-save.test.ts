// savePretrained writes what transformers' save_pretrained writes: model.safetensors byte-identical to the
// fixtures' files (sorted keys, `__metadata__ {format: pt}`, aligned header, tied keys left out), and a
// config.json that loads back to the same config with unknown keys kept.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlbertConfig, loadCheckpoint, loadPretrained, parseSafetensors, savePretrained } from '@albertjs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listCases, listCheckpoints } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'albertjs-save-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const folders = [...new Set(listCases().map((c) => c.modelPath))];
const halfFolders = listCheckpoints().flatMap((c) => c.formats.filter((f) => f.kind === 'dir').map((f) => f.path));

describe('savePretrained reproduces transformers save_pretrained', () => {
  it.each([...folders, ...halfFolders].map((d) => [d.split('/fixtures/hf/')[1]!, d] as const))(
    '%s: model.safetensors byte-identical',
    async (_name, dir) => {
      const raw = await loadCheckpoint(dir, { dtype: 'keep' });
      const out = join(tmp, _name.replaceAll('/', '_'));
      await savePretrained(out, raw.config, raw.tensors);
      expect(
        Buffer.compare(readFileSync(join(out, 'model.safetensors')), readFileSync(join(dir, 'model.safetensors'))),
      ).toBe(0);
      const cfg = AlbertConfig.fromJSON(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(cfg.toJSON()).toEqual(raw.config.toJSON());
      expect(cfg.extra.transformers_version).toBe('5.17.0');
    },
  );

  it('drops the tied decoder weight and bias that pytorch_model.bin carries', async () => {
    const fx = listCheckpoints().find((c) => c.name === 'tiny/AlbertForMaskedLM')!;
    const bin = fx.formats.find((f) => f.format === 'pytorch_model.bin')!.path;
    const dir = join(tmp, 'from-bin');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(fx.reference, 'config.json'), join(dir, 'config.json'));
    copyFileSync(bin, join(dir, 'pytorch_model.bin'));
    const raw = await loadCheckpoint(dir);
    expect(raw.tensors.has('predictions.decoder.weight')).toBe(true);
    const out = join(tmp, 'from-bin-saved');
    await savePretrained(out, raw.config, raw.tensors);
    const saved = parseSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors'))));
    expect(saved.tensors.has('predictions.decoder.weight')).toBe(false);
    expect(saved.tensors.has('predictions.decoder.bias')).toBe(false);
    expect(saved.metadata).toEqual({ format: 'pt' });
    expect(
      Buffer.compare(
        readFileSync(join(out, 'model.safetensors')),
        readFileSync(join(fx.reference, 'model.safetensors')),
      ),
    ).toBe(0);
  });

  it('a bound WeightMap saves and reloads with an empty report', async () => {
    const dir = listCases().find((c) => c.model_dir === 'models/groups/AlbertForPreTraining')!.modelPath;
    const m = await loadPretrained(dir, 'AlbertForPreTraining');
    const out = join(tmp, 'weightmap');
    await savePretrained(out, m.config, m.weights);
    const again = await loadPretrained(out, 'AlbertForPreTraining');
    expect(again.report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    for (const k of m.weights.keys()) expect(again.weights.get(k).data).toEqual(m.weights.get(k).data);
  });
});
