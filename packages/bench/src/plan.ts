// Resolves BenchOptions into what every backend run needs: the grid (with overrides), the model shape,
// heads, attention implementations, dtype and seed, with every bad value rejected up front.
import { existsSync } from 'node:fs';
import type { AlbertConfig, AttnImplementation, HeadName } from '@albertjs/core';
import { InputError } from '@albertjs/core';
import { type BackendName, parseBackendList } from './backends.js';
import { BENCH_MODES, type BenchMode, type Grid, gridByName, type ModeGrid, validateGrid } from './grids.js';
import { makeBatch } from './inputs.js';
import type { MeasureSettings } from './measure.js';
import { type ResolvedModel, resolveModel } from './model.js';
import type { BenchDType, BenchOptions } from './options.js';

export const DEFAULT_HEADS: Readonly<Record<BenchMode, HeadName>> = {
  train: 'AlbertForSequenceClassification',
  infer: 'AlbertModel',
};

export interface BenchPlan {
  grid: Grid;
  modes: BenchMode[];
  model: ResolvedModel;
  config: AlbertConfig;
  heads: Record<BenchMode, HeadName>;
  attn: AttnImplementation[];
  dtype: BenchDType;
  seed: number;
  backends: BackendName[];
  maxCellSeconds?: number;
  minIterations: number;
  compareOnnx?: string;
  compareThreads?: number;
}

function withOverrides(grid: Grid, options: BenchOptions): Grid {
  const apply = (g: ModeGrid): ModeGrid => ({
    ...g,
    batch: [...g.batch],
    seq: [...g.seq],
    ...(options.batch !== undefined ? { batch: [...options.batch] } : {}),
    ...(options.seq !== undefined ? { seq: [...options.seq] } : {}),
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
  });
  const custom = options.batch !== undefined || options.seq !== undefined;
  return {
    ...grid,
    name: custom ? `${grid.name}-custom` : grid.name,
    train: apply(grid.train),
    infer: apply(grid.infer),
  };
}

export async function planBench(options: BenchOptions): Promise<BenchPlan> {
  const grid = withOverrides(
    typeof options.grid === 'object' ? options.grid : gridByName(options.grid ?? 'seed'),
    options,
  );
  const modes = options.modes && options.modes.length > 0 ? [...new Set(options.modes)] : [...BENCH_MODES];
  for (const m of modes)
    if (!BENCH_MODES.includes(m)) throw new InputError(`mode ${JSON.stringify(m)}: expected train or infer`);
  const model = await resolveModel(options.model ?? grid.defaultModel);
  validateGrid(grid, model.config.max_position_embeddings);
  const attn: AttnImplementation[] =
    options.attn && options.attn.length > 0 ? [...new Set(options.attn)] : ['eager', 'sdpa'];
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`seed = ${seed}; expected an integer ≥ 0`);
  if (options.maxCellSeconds !== undefined && !(options.maxCellSeconds > 0))
    throw new InputError(`maxCellSeconds = ${options.maxCellSeconds}; expected a number > 0`);
  const minIterations = options.minIterations ?? 3;
  if (!Number.isInteger(minIterations) || minIterations < 1)
    throw new InputError(`minIterations = ${minIterations}; expected an integer ≥ 1`);
  const heads: Record<BenchMode, HeadName> = {
    train: options.trainHead ?? DEFAULT_HEADS.train,
    infer: options.inferHead ?? DEFAULT_HEADS.infer,
  };
  for (const mode of modes) makeBatch(heads[mode], model.config, 1, 1, seed, mode === 'train'); // rejects heads bench cannot feed
  if (options.compareOnnx !== undefined) {
    if (!modes.includes('infer'))
      throw new InputError('--compare-onnx compares inference; run the infer mode (or both)');
    if (!existsSync(options.compareOnnx) || !options.compareOnnx.endsWith('.onnx'))
      throw new InputError(`--compare-onnx ${JSON.stringify(options.compareOnnx)}: expected an existing .onnx file`);
  }
  if (options.compareThreads !== undefined && options.compareOnnx === undefined)
    throw new InputError('--compare-threads sets the transformers.js session: give --compare-onnx too');
  if (
    options.compareThreads !== undefined &&
    !(Number.isInteger(options.compareThreads) && options.compareThreads >= 1)
  )
    throw new InputError(`compareThreads = ${options.compareThreads}; expected an integer ≥ 1`);
  if (options.backendTimeoutSeconds !== undefined && !(options.backendTimeoutSeconds > 0))
    throw new InputError(`backendTimeoutSeconds = ${options.backendTimeoutSeconds}; expected a number > 0`);
  return {
    grid,
    modes,
    model,
    config: model.config,
    heads,
    attn,
    dtype: options.dtype ?? 'f32',
    seed,
    backends: parseBackendList(options.backends ?? ['all']),
    minIterations,
    ...(options.maxCellSeconds !== undefined ? { maxCellSeconds: options.maxCellSeconds } : {}),
    ...(options.compareOnnx !== undefined ? { compareOnnx: options.compareOnnx } : {}),
    ...(options.compareThreads !== undefined ? { compareThreads: options.compareThreads } : {}),
  };
}

export function measureSettings(plan: BenchPlan, mode: BenchMode): MeasureSettings {
  const g = plan.grid[mode];
  return {
    warmup: g.warmup,
    iterations: g.iterations,
    minIterations: Math.min(plan.minIterations, g.iterations),
    ...(plan.maxCellSeconds !== undefined ? { maxMs: plan.maxCellSeconds * 1000 } : {}),
  };
}
