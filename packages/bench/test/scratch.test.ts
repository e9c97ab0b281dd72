import { it, expect } from 'vitest';
import { runBench, renderMarkdown } from '../src/index.js';
it('scratch', async () => {
  const r = await runBench({ grid: 'smoke', backends: ['webgpu'], modes: ['infer'], log: (l) => console.log(l) });
  console.log(renderMarkdown(r));
  expect(1).toBe(1);
});
