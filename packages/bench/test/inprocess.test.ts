// The same harness without process isolation (what an embedder calling runBench in its own process
// gets), and the up-front rejection of options that cannot run.
import { InputError } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, GRIDS, openBackend, runBench } from '../src/index.js';

async function firstAvailable(): Promise<string | undefined> {
  for (const name of BACKEND_NAMES) {
    const b = await openBackend(name);
    if (b.ok) {
      await b.backend.dispose?.();
      return name;
    }
    console.info(`bench in-process: ${name} unavailable: ${b.reason}`);
  }
  return undefined;
}

describe('runBench in process', () => {
  it('times the smoke inference grid on the first backend available, eager and sdpa', async () => {
    const name = await firstAvailable();
    expect(name, 'no backend available').toBeDefined();
    const r = await runBench({
      grid: 'smoke',
      modes: ['infer'],
      backends: [name!],
      isolate: false,
      iterations: 2,
      warmup: 0,
      batch: [2],
      seq: [8, 16],
    });
    expect(r.isolated).toBe(false);
    expect(r.backends).toEqual([expect.objectContaining({ name, ran: true })]);
    expect(r.grid.name).toBe('smoke-custom');
    expect(r.grid.infer).toEqual({ ...GRIDS.smoke.infer, batch: [2], seq: [8, 16], iterations: 2, warmup: 0 });
    expect(r.cells.map((c) => `${c.attn} ${c.batch}×${c.seq}`)).toEqual([
      'eager 2×8',
      'sdpa 2×8',
      'eager 2×16',
      'sdpa 2×16',
    ]);
    for (const c of r.cells) {
      expect(c.error, `${c.attn} ${c.batch}×${c.seq}: ${c.error}`).toBeUndefined();
      expect(c.iterations).toBe(2);
      expect(c.warmup).toBe(0);
      expect(c.msPerBatch!.n).toBe(2);
    }
    expect(r.rssMethod).toMatch(/^(VmHWM|sampled)$/);
  });
});

describe('options that cannot run are rejected before any backend starts', () => {
  it('names the bad value', async () => {
    await expect(runBench({ grid: 'smoke', model: '/nonexistent/model' })).rejects.toThrow(
      /--model "\/nonexistent\/model" is neither a preset/,
    );
    await expect(runBench({ grid: 'seed', model: 'tiny' })).rejects.toThrow(
      /seq has 256, longer than the model's max_position_embeddings = 64/,
    );
    await expect(runBench({ grid: 'smoke', compareOnnx: '/nonexistent.onnx' })).rejects.toThrow(
      /--compare-onnx "\/nonexistent.onnx"/,
    );
    await expect(runBench({ grid: 'smoke', modes: ['train'], compareOnnx: 'x.onnx' })).rejects.toThrow(
      /compares inference/,
    );
    await expect(runBench({ grid: 'smoke', compareThreads: 1 })).rejects.toThrow(/--compare-threads .* --compare-onnx/);
    await expect(runBench({ grid: 'smoke', trainHead: 'AlbertForMultipleChoice' })).rejects.toThrow(InputError);
    await expect(runBench({ grid: 'smoke', seed: -1 })).rejects.toThrow(/seed = -1/);
    await expect(runBench({ grid: 'smoke', backends: ['cuda'] })).rejects.toThrow(/unknown backend "cuda"/);
  });
});
