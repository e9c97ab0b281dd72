import { describe, expect, it } from 'vitest';
import { padRows, runSorted } from '../src/batch.js';

describe('runSorted', () => {
  it('runs longest first in batches and returns results in input order', async () => {
    const items = ['bb', 'a', 'dddd', 'ccc', 'e'];
    const seen: string[][] = [];
    const out = await runSorted(
      items,
      (s) => s.length,
      2,
      async (batch) => {
        seen.push(batch);
        return batch.map((s) => s.toUpperCase());
      },
    );
    expect(seen).toEqual([['dddd', 'ccc'], ['bb', 'a'], ['e']]);
    expect(out).toEqual(['BB', 'A', 'DDDD', 'CCC', 'E']);
  });
  it('names a bad batch size', async () => {
    await expect(
      runSorted(
        [1],
        () => 1,
        0,
        async (b) => b,
      ),
    ).rejects.toThrow(/batchSize must be a positive integer, got 0/);
  });
});

describe('padRows', () => {
  it('pads ids with the pad id and mask / types with 0', () => {
    const p = padRows(
      [
        { input_ids: [2, 5, 3], token_type_ids: [0, 0, 0], attention_mask: [1, 1, 1] },
        { input_ids: [2, 3], token_type_ids: [0, 1], attention_mask: [1, 1] },
      ],
      9,
    );
    expect(p).toEqual({
      input_ids: [
        [2, 5, 3],
        [2, 3, 9],
      ],
      token_type_ids: [
        [0, 0, 0],
        [0, 1, 0],
      ],
      attention_mask: [
        [1, 1, 1],
        [1, 1, 0],
      ],
      length: 3,
    });
  });
});
