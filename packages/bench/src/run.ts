// runBench(): every requested backend × mode × grid cell × attention implementation, in one process,
// on seeded random weights of the named shape; optionally transformers.js on an ONNX file beside them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AlbertModelHandle, AttnImplementation, HeadName, WeightMap } from '@albertjs/core';
import { InputError } from '@albertjs/core';
import { type BackendName, openBackend, parseBackendList } from './backends.js';
import { describeEnvironment, packageVersion, shellJoin } from './environment.js';
import { BENCH_MODES, type BenchMode, type Grid, type ModeGrid, gridByName, validateGrid } from './grids.js';
import { makeBatch } from './inputs.js';
import { type MeasureSettings, type Measurement, measure } from './measure.js';
import { RssPeakMeter, type RssMethod } from './memory.js';
import { resolveModel } from './model.js';
import { type BenchOptions, LOAD_DTYPE } from './options.js';
import { type BackendStatus, type BenchResult, type CellResult, type ComparisonInfo, RESULT_SCHEMA } from './result.js';
import { loadTransformersJs } from './transformersjs.js';
import { randomWeights } from './weights.js';

const DEFAULT_HEADS: Record<BenchMode, HeadName> = { train: 'AlbertForSequenceClassification', infer: 'AlbertModel' };

function ownVersion(): string {
  const pj = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  return (JSON.parse(readFileSync(pj, 'utf8')) as { version: string }).version;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
}

function withOverrides(grid: Grid, options: BenchOptions): Grid {
  const apply = (g: ModeGrid): ModeGrid => ({
    ...g,
    batch: [...g.batch],
    seq: [...g.seq],
    ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
    ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
  });
  return { ...grid, train: apply(grid.train), infer: apply(grid.infer) };
}

function cellFrom(base: Omit<CellResult, 'iterations'>, m: Measurement): CellResult {
  const cell: CellResult = { ...base, iterations: m.iterations };
  if (m.error !== undefined) return { ...cell, error: m.error };
  if (m.msPerBatch) {
    cell.msPerBatch = m.msPerBatch;
    cell.perTokenMs = m.msPerBatch.median / base.seq;
    cell.tokensPerSecond = (base.batch * base.seq) / (m.msPerBatch.median / 1000);
  }
  if (m.memory) cell.memory = m.memory;
  return cell;
}

/** Runs the benchmark described by `options` and returns every measurement with its context. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const grid = withOverrides(typeof options.grid === 'object' ? options.grid : gridByName(options.grid ?? 'seed'), options);
  const modes = options.modes && options.modes.length > 0 ? [...new Set(options.modes)] : [...BENCH_MODES];
  const model = await resolveModel(options.model ?? grid.defaultModel);
  const config = model.config;
  validateGrid(grid, config.max_position_embeddings);
  const attn: AttnImplementation[] = options.attn && options.attn.length > 0 ? [...new Set(options.attn)] : ['eager', 'sdpa'];
  const dtype = options.dtype ?? 'f32';
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`seed = ${seed}; expected an integer ≥ 0`);
  if (options.maxCellSeconds !== undefined && !(options.maxCellSeconds > 0)) throw new InputError(`maxCellSeconds = ${options.maxCellSeconds}; expected a number > 0`);
  const heads: Record<BenchMode, HeadName> = { train: options.trainHead ?? DEFAULT_HEADS.train, infer: options.inferHead ?? DEFAULT_HEADS.infer };
  for (const mode of modes) makeBatch(heads[mode], config, 1, 1, seed, mode === 'train'); // rejects unsupported heads early
  const backendNames = parseBackendList(options.backends ?? ['all']);
  const command = options.command ?? shellJoin(process.argv.slice(1));

  const weights = new Map<BenchMode, { weights: WeightMap; parameters: number }>();
  for (const mode of modes) {
    const same = modes.find((m) => m !== mode && heads[m] === heads[mode] && weights.has(m));
    weights.set(mode, same ? weights.get(same)! : randomWeights(heads[mode], config, seed));
  }

  const meter = new RssPeakMeter();
  let rssMethod: RssMethod | undefined;
  const settingsFor = (g: ModeGrid): MeasureSettings => ({
    warmup: g.warmup,
    iterations: g.iterations,
    minIterations: Math.min(options.minIterations ?? 3, g.iterations),
    ...(options.maxCellSeconds !== undefined ? { maxMs: options.maxCellSeconds * 1000 } : {}),
  });
  const cells: CellResult[] = [];
  const statuses: BackendStatus[] = [];
  const ran: BackendName[] = [];

  try {
    for (const name of backendNames) {
      const opened = await openBackend(name, options.backendOptions?.[name]);
      if (!opened.ok) {
        log(`${name}: skipped: ${opened.reason}`);
        statuses.push({ name, ran: false, reason: opened.reason });
        continue;
      }
      const { backend } = opened;
      log(`${name}: ${opened.description}`);
      const status: BackendStatus = { name, ran: true, description: opened.description };
      statuses.push(status);
      ran.push(name);
      for (const mode of modes) {
        const g = grid[mode];
        const handles = new Map<AttnImplementation, AlbertModelHandle>();
        const loadErrors = new Map<AttnImplementation, string>();
        for (const a of attn) {
          try {
            handles.set(a, await backend.loadModel(heads[mode], config, weights.get(mode)!.weights, { attnImplementation: a, dtype: LOAD_DTYPE[dtype] }));
          } catch (e) {
            loadErrors.set(a, `loadModel failed: ${errorText(e)}`);
          }
        }
        if (mode === 'train' && [...handles.values()].every((h) => typeof h.gradients !== 'function')) {
          const why = handles.size > 0 ? `${name} implements no gradients()` : [...loadErrors.values()].join('; ');
          status.skippedModes = { ...status.skippedModes, train: why };
          log(`${name} train: skipped: ${why}`);
          for (const h of handles.values()) h.dispose();
          continue;
        }
        for (const batch of g.batch) {
          for (const seq of g.seq) {
            const b = makeBatch(heads[mode], config, batch, seq, seed, mode === 'train');
            for (const a of attn) {
              const base = { backend: name, mode, attn: a, batch, seq, warmup: g.warmup } as const;
              const h = handles.get(a);
              if (!h) {
                cells.push({ ...base, iterations: 0, error: loadErrors.get(a) ?? 'not loaded' });
                continue;
              }
              const run =
                mode === 'train'
                  ? () => h.gradients!(b.inputs, b.cotangents)
                  : () => h.forward(b.inputs, { attnImplementation: a });
              const m = await measure(run, settingsFor(g), meter, backend);
              rssMethod ??= m.rssMethod;
              const cell = cellFrom(base, m);
              cells.push(cell);
              log(`${name} ${mode} ${a} ${batch}×${seq}: ${cell.error ?? `${cell.msPerBatch!.median.toFixed(2)} ms/batch (${cell.iterations} runs)`}`);
            }
          }
        }
        for (const h of handles.values()) h.dispose();
      }
      await backend.dispose?.();
    }

    let comparison: ComparisonInfo | undefined;
    if (options.compareOnnx !== undefined) {
      if (!modes.includes('infer')) throw new InputError('--compare-onnx compares inference; run the infer mode (or both)');
      const tjsVersion = packageVersion('@huggingface/transformers');
      try {
        const tjs = await loadTransformersJs(options.compareOnnx, config, tjsVersion);
        comparison = { onnx: tjs.onnx, configSource: tjs.configSource, description: tjs.description };
        log(`transformers.js: ${tjs.description} on ${tjs.onnx}`);
        const g = grid.infer;
        for (const batch of g.batch) {
          for (const seq of g.seq) {
            const b = makeBatch(heads.infer, config, batch, seq, seed, false);
            const m = await measure(() => tjs.forward(b.inputs), settingsFor(g), meter);
            rssMethod ??= m.rssMethod;
            const cell = cellFrom({ backend: 'transformers.js', mode: 'infer', attn: 'as exported', batch, seq, warmup: g.warmup }, m);
            cells.push(cell);
            log(`transformers.js infer ${batch}×${seq}: ${cell.error ?? `${cell.msPerBatch!.median.toFixed(2)} ms/batch`}`);
          }
        }
        await tjs.dispose();
      } catch (e) {
        if (e instanceof InputError) throw e;
        comparison = { onnx: options.compareOnnx, configSource: '', description: `transformers.js ${tjsVersion ?? ''}`.trim(), error: errorText(e) };
        log(`transformers.js: ${errorText(e)}`);
      }
    }

    const packages = ['@albertjs/core', ...ran.map((n) => `@albertjs/${n}`), ...(comparison ? ['@huggingface/transformers'] : [])];
    const environment = describeEnvironment(command, packages);
    environment.versions = { '@albertjs/bench': ownVersion(), ...environment.versions };
    const parameters: Partial<Record<BenchMode, number>> = {};
    for (const mode of modes) parameters[mode] = weights.get(mode)!.parameters;
    return {
      schema: RESULT_SCHEMA,
      environment,
      model: {
        name: model.name,
        source: model.source,
        shape: {
          vocab_size: config.vocab_size,
          embedding_size: config.embedding_size,
          hidden_size: config.hidden_size,
          num_hidden_layers: config.num_hidden_layers,
          num_hidden_groups: config.num_hidden_groups,
          inner_group_num: config.inner_group_num,
          num_attention_heads: config.num_attention_heads,
          intermediate_size: config.intermediate_size,
          hidden_act: config.hidden_act,
        },
        parameters,
        weights: `random, seed ${seed}: N(0, ${config.initializer_range}²) as transformers' _init_weights`,
      },
      grid,
      modes,
      heads,
      attn,
      dtype,
      seed,
      ...(options.maxCellSeconds !== undefined ? { maxCellSeconds: options.maxCellSeconds } : {}),
      ...(rssMethod ? { rssMethod } : {}),
      backends: statuses,
      cells,
      ...(comparison ? { comparison } : {}),
      totalSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await meter.dispose();
  }
}
