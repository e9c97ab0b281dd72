// The measured grids. `seed` is the seed document's (albert-doc.md "Using Scaled Dot Product Attention"):
// training for 100 iterations over batch {2, 4, 8} × seq {256, 512}, inference over 50 batches for
// batch {4, 8, 16} × seq {128, 256, 512}. `smoke` is seconds long (CI), `full` widens both.
import { InputError } from '@albertjs/core';

export type BenchMode = 'train' | 'infer';
export const BENCH_MODES: readonly BenchMode[] = ['train', 'infer'];

export interface ModeGrid {
  batch: number[];
  seq: number[];
  /** Untimed runs before measuring. */
  warmup: number;
  /** Timed runs per cell (training iterations / inference batches). */
  iterations: number;
}

export interface Grid {
  name: string;
  train: ModeGrid;
  infer: ModeGrid;
  /** Model used when the caller names none. */
  defaultModel: string;
}

export const GRIDS: Readonly<Record<'smoke' | 'seed' | 'full', Grid>> = {
  smoke: {
    name: 'smoke',
    train: { batch: [1, 2], seq: [8, 16], warmup: 1, iterations: 3 },
    infer: { batch: [1, 2], seq: [8, 16], warmup: 1, iterations: 3 },
    defaultModel: 'tiny',
  },
  seed: {
    name: 'seed',
    train: { batch: [2, 4, 8], seq: [256, 512], warmup: 3, iterations: 100 },
    infer: { batch: [4, 8, 16], seq: [128, 256, 512], warmup: 3, iterations: 50 },
    defaultModel: 'albert-base-v2',
  },
  full: {
    name: 'full',
    train: { batch: [1, 2, 4, 8, 16], seq: [64, 128, 256, 512], warmup: 3, iterations: 100 },
    infer: { batch: [1, 4, 8, 16, 32, 64], seq: [32, 64, 128, 256, 512], warmup: 3, iterations: 50 },
    defaultModel: 'albert-base-v2',
  },
};

export type GridName = keyof typeof GRIDS;

export function gridByName(name: string): Grid {
  if (!(name in GRIDS))
    throw new InputError(`unknown grid ${JSON.stringify(name)}; expected one of ${Object.keys(GRIDS).join(', ')}`);
  return GRIDS[name as GridName];
}

function checkPositiveInts(what: string, xs: readonly number[]): void {
  if (xs.length === 0) throw new InputError(`${what} is empty`);
  for (const x of xs)
    if (!Number.isInteger(x) || x <= 0) throw new InputError(`${what} has ${x}; expected positive integers`);
}

/** Throws an InputError naming the field and value when a grid cannot run. */
export function validateGrid(grid: Grid, maxPositions: number): void {
  for (const mode of BENCH_MODES) {
    const g = grid[mode];
    checkPositiveInts(`grid ${grid.name}: ${mode}.batch`, g.batch);
    checkPositiveInts(`grid ${grid.name}: ${mode}.seq`, g.seq);
    if (!Number.isInteger(g.warmup) || g.warmup < 0)
      throw new InputError(`grid ${grid.name}: ${mode}.warmup = ${g.warmup}; expected an integer ≥ 0`);
    if (!Number.isInteger(g.iterations) || g.iterations < 1)
      throw new InputError(`grid ${grid.name}: ${mode}.iterations = ${g.iterations}; expected an integer ≥ 1`);
    const tooLong = g.seq.find((s) => s > maxPositions);
    if (tooLong !== undefined) {
      throw new InputError(
        `grid ${grid.name}: ${mode}.seq has ${tooLong}, longer than the model's max_position_embeddings = ${maxPositions}`,
      );
    }
  }
}
