// The embedded default model (models/default): found by defaultModelPath(), loads for fill-mask and
// sentence-order on tfjs when no model folder is given.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_FILES, defaultModelPath, type FillMaskPrediction, pipeline } from '@albertjs/pipelines';
import { describe, expect, it } from 'vitest';

describe('embedded default model', () => {
  it('defaultModelPath() finds a complete model folder', () => {
    const dir = defaultModelPath();
    for (const f of DEFAULT_MODEL_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('fill-mask and sentence-order run on the default model (no model argument)', async () => {
    const { createBackend } = await import('@albertjs/tfjs');
    const backend = await createBackend({ runtime: 'cpu' });
    const fill = await pipeline('fill-mask', undefined, { backend });
    const top = (await fill.run('The capital of [MASK] is Paris.', { topK: 5 })) as FillMaskPrediction[];
    expect(top.length).toBe(5);
    for (const p of top) {
      expect(p.sequence.startsWith('the capital of'), p.sequence).toBe(true);
      expect(p.sequence.endsWith('is paris.'), p.sequence).toBe(true);
    }
    // trained: far more confident than the ~1/8000 a freshly initialized model spreads over the vocabulary
    expect(top[0]!.score).toBeGreaterThan(0.01);
    const sop = await pipeline('sentence-order', undefined, { backend });
    const r = await sop.run(['the cat sat down.', 'then it slept.']);
    expect(r.scores.in_order + r.scores.swapped).toBeCloseTo(1, 6);
    fill.dispose();
    sop.dispose();
  });
});
