// The embedded default model (models/default): found by defaultModelPath(), loads for fill-mask and
// sentence-order on tfjs, and answers the README's first command with whole English words.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_FILES, type FillMaskPrediction, defaultModelPath, pipeline } from '@albertjs/pipelines';
import { describe, expect, it } from 'vitest';

describe('embedded default model', () => {
  it('defaultModelPath() finds a complete model folder', () => {
    const dir = defaultModelPath();
    for (const f of DEFAULT_MODEL_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('fill-mask "The capital of [MASK] is Paris." gives whole English words', async () => {
    const { createBackend } = await import('@albertjs/tfjs');
    const backend = await createBackend({ runtime: 'cpu' });
    const fill = await pipeline('fill-mask', undefined, { backend });
    const top = (await fill.run('The capital of [MASK] is Paris.', { topK: 5 })) as FillMaskPrediction[];
    for (const p of top) {
      expect(p.token_str, JSON.stringify(top)).toMatch(/^[a-z]{2,}$/);
      expect(p.sequence).toBe(`the capital of ${p.token_str} is paris.`);
    }
    // a trained model is confident where a random one spreads ~1/8000 over the vocabulary
    expect(top[0]!.score).toBeGreaterThan(0.01);
    const sop = await pipeline('sentence-order', undefined, { backend });
    const r = await sop.run(['the cat sat down.', 'then it slept.']);
    expect(r.scores.in_order + r.scores.swapped).toBeCloseTo(1, 6);
    fill.dispose();
    sop.dispose();
  });
});
