// pipeline() passes from_pretrained's options to core's loadPretrained: a head the model lacks is initialised
// (seeded) with transformers' warning, config overrides relabel it, and initializeMissing: false refuses.
import { CheckpointError } from '@albertjs/core';
import { pipeline, type TextClassificationPipeline } from '@albertjs/pipelines';
import { createBackend } from '@albertjs/tfjs';
import { describe, expect, it } from 'vitest';

describe('pipeline() load options', () => {
  it('config overrides, seed and the newly-initialised warning reach the model', async () => {
    const backend = await createBackend({ runtime: 'cpu' });
    const warnings: string[] = [];
    const make = (seed: number) =>
      pipeline('text-classification', undefined, {
        backend,
        config: { id2label: { 0: 'animal', 1: 'plant', 2: 'thing' } },
        seed,
        onWarning: (w) => warnings.push(w),
      }) as Promise<TextClassificationPipeline>;
    const [a, b, c] = [await make(1), await make(1), await make(2)];
    expect(a.config.num_labels).toBe(3);
    expect(a.config.label2id).toEqual({ animal: 0, plant: 1, thing: 2 });
    const run = async (p: TextClassificationPipeline) =>
      (await p.run('a dog is an animal.', { topK: null })) as unknown as { label: string; score: number }[];
    const [ra, rb, rc] = [await run(a), await run(b), await run(c)];
    expect(ra.map((x) => x.label).sort()).toEqual(['animal', 'plant', 'thing']);
    expect(rb).toEqual(ra);
    expect(rc).not.toEqual(ra);
    expect(warnings[0]).toMatch(
      /^Some weights of AlbertForSequenceClassification were not initialized from the model checkpoint at .* and are newly initialized: \[classifier\.weight, classifier\.bias\]\nYou should probably TRAIN this model/,
    );
    await expect(pipeline('question-answering', undefined, { backend, initializeMissing: false })).rejects.toThrow(
      CheckpointError,
    );
    for (const p of [a, b, c]) p.dispose();
  });
});
