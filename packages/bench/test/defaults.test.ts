// Harness defaults: tfjs trains with gradient checkpointing unless told otherwise, and a named grid run
// with other warm-up / iteration counts says so in the report.
import { describe, expect, it } from 'vitest';
import { GRIDS, runsOverrideNote, withBackendDefaults } from '../src/index.js';

describe('withBackendDefaults', () => {
  it('turns tfjs gradient checkpointing on for training runs, keeping the other tfjs options', () => {
    const o = withBackendDefaults({ backendOptions: { tfjs: { runtime: 'wasm' } } }, ['train', 'infer'], ['tfjs']);
    expect(o.backendOptions?.tfjs).toEqual({ runtime: 'wasm', gradientCheckpointing: true });
  });
  it('leaves an explicit choice, inference-only runs and runs without tfjs alone', () => {
    const off = { backendOptions: { tfjs: { gradientCheckpointing: false } } };
    expect(withBackendDefaults(off, ['train'], ['tfjs'])).toBe(off);
    const infer = {};
    expect(withBackendDefaults(infer, ['infer'], ['tfjs'])).toBe(infer);
    expect(withBackendDefaults(infer, ['train'], ['onnx'])).toBe(infer);
  });
});

describe('runsOverrideNote', () => {
  it('names the overridden counts next to the grid’s own', () => {
    const grid = { ...GRIDS.seed, train: { ...GRIDS.seed.train, warmup: 1, iterations: 2 } };
    expect(runsOverrideNote(grid)).toBe(
      'Runs per cell overridden (--warmup / --iterations): train 1 warm-up + 2 timed (the seed grid: 3 + 100)',
    );
    expect(runsOverrideNote({ ...grid, name: 'seed-custom' })).toContain('train 1 warm-up + 2 timed');
  });
  it('is silent when the grid runs as defined', () => {
    expect(runsOverrideNote(GRIDS.seed)).toBeUndefined();
    expect(runsOverrideNote({ ...GRIDS.smoke, name: 'smoke-custom' })).toBeUndefined();
  });
});
