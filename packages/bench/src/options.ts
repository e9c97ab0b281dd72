// Options of a benchmark run and their parsing from `albert bench train|infer|both --backend … --model …
// --dtype f32|f16|int8 --grid smoke|seed|full` arguments (node:util parseArgs).
import { parseArgs } from 'node:util';
import { type AttnImplementation, type HeadName, InputError, isHeadName } from '@albertjs/core';
import { type BackendName, parseBackendList } from './backends.js';
import type { BenchEvent } from './events.js';
import { type BenchMode, type Grid, type GridName, gridByName } from './grids.js';

export type BenchDType = 'f32' | 'f16' | 'int8';
export const BENCH_DTYPES: readonly BenchDType[] = ['f32', 'f16', 'int8'];
/** The `LoadModelOptions.dtype` each --dtype asks the backend for. */
export const LOAD_DTYPE: Readonly<Record<BenchDType, string>> = { f32: 'float32', f16: 'float16', int8: 'int8' };

export interface BenchOptions {
  /** 'train', 'infer' or both (default both). */
  modes?: BenchMode[];
  /** Backend names or ['all'] (default all). */
  backends?: string[];
  /** Preset (`albert-base-v2`), `tiny` or a model folder; default: the grid's model. */
  model?: string;
  dtype?: BenchDType;
  grid?: GridName | Grid;
  /** Attention implementations to measure (default eager and sdpa). */
  attn?: AttnImplementation[];
  /** Override the grid's batch sizes (every mode run). */
  batch?: number[];
  /** Override the grid's sequence lengths (every mode run). */
  seq?: number[];
  /** Override the grid's warm-up runs. */
  warmup?: number;
  /** Override the grid's timed runs per cell. */
  iterations?: number;
  /** Stop repeating a cell once it has taken this long (after at least `minIterations`); the runs done are reported. */
  maxCellSeconds?: number;
  /** Fewest timed runs per cell under maxCellSeconds (default 3, or iterations when fewer). */
  minIterations?: number;
  /** Seed of the random weights and inputs (default 0). */
  seed?: number;
  /** An ONNX file to run with transformers.js in the same process on the same inputs (inference only). */
  compareOnnx?: string;
  /** onnxruntime intra-op threads of the transformers.js session (default: onnxruntime's, all cores). */
  compareThreads?: number;
  /** Model class timed in training (default AlbertForSequenceClassification, loss from labels). */
  trainHead?: HeadName;
  /** Model class timed in inference (default AlbertModel). */
  inferHead?: HeadName;
  /** The command line recorded in the output (default: this process's argv). */
  command?: string;
  /**
   * Run each backend, and each mode of it, in its own child process (default true): a crash or hang ends
   * that part only, and each mode's memory high-water mark is its own.
   */
  isolate?: boolean;
  /** With isolation, kill a backend's process (one per mode) after this many seconds (its cells so far are kept). */
  backendTimeoutSeconds?: number;
  /** Passed to each backend's createBackend() (JSON-serializable when isolated). */
  backendOptions?: Partial<Record<BackendName, unknown>>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Every event as it happens: backend statuses, skipped modes, each measured cell (e.g. for a progress bar). */
  onEvent?: (event: BenchEvent) => void;
}

export interface ParsedBenchArgs {
  options: BenchOptions;
  /** --out: folder for results.md / results.json / chart SVGs. */
  out?: string;
  /** --format: what to print on stdout (default md). */
  format: 'md' | 'json';
}

function posInt(flag: string, v: string | undefined, allowZero = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new InputError(`${flag} ${JSON.stringify(v)}: expected an integer ≥ ${allowZero ? 0 : 1}`);
  return n;
}

function intList(flag: string, v: string): number[] {
  return v.split(',').map((x) => posInt(flag, x.trim())!);
}

export function parseMode(s: string | undefined): BenchMode[] {
  if (s === undefined || s === 'both') return ['train', 'infer'];
  if (s === 'train' || s === 'infer') return [s];
  throw new InputError(`bench mode ${JSON.stringify(s)}: expected train, infer or both`);
}

export function parseDType(s: string): BenchDType {
  if (!(BENCH_DTYPES as readonly string[]).includes(s))
    throw new InputError(`--dtype ${JSON.stringify(s)}: expected one of ${BENCH_DTYPES.join(', ')}`);
  return s as BenchDType;
}

export function parseAttn(list: readonly string[]): AttnImplementation[] {
  const out: AttnImplementation[] = [];
  for (const a of list.flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (a !== 'eager' && a !== 'sdpa')
      throw new InputError(`--attn ${JSON.stringify(a)}: expected eager, sdpa or both`);
    if (!out.includes(a)) out.push(a);
  }
  return out;
}

function parseHead(flag: string, s: string | undefined): HeadName | undefined {
  if (s === undefined) return undefined;
  if (!isHeadName(s))
    throw new InputError(
      `${flag} ${JSON.stringify(s)} is not an ALBERT model class (e.g. AlbertModel, AlbertForSequenceClassification)`,
    );
  return s;
}

/**
 * `--backend-option tfjs.runtime=cpu` (repeatable) → `{ tfjs: { runtime: 'cpu' } }`, passed to that
 * backend's createBackend(); a value that parses as JSON (numbers, booleans) is taken as such.
 */
export function parseBackendOptions(list: readonly string[]): Partial<Record<BackendName, Record<string, unknown>>> {
  const out: Partial<Record<BackendName, Record<string, unknown>>> = {};
  for (const item of list) {
    const m = /^([a-z]+)\.([A-Za-z_][\w]*)=(.*)$/.exec(item);
    if (!m)
      throw new InputError(
        `--backend-option ${JSON.stringify(item)}: expected <backend>.<option>=<value>, e.g. tfjs.runtime=cpu`,
      );
    const [, backend, key, raw] = m as unknown as [string, string, string, string];
    const [name] = parseBackendList([backend]);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    out[name!] = { ...out[name!], [key]: value };
  }
  return out;
}

/** Parses `[train|infer|both] --backend tfjs,onnx --model albert-base-v2 --dtype f32 --grid seed …`. */
export function parseBenchArgs(argv: readonly string[]): ParsedBenchArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      mode: { type: 'string' },
      backend: { type: 'string', multiple: true },
      model: { type: 'string' },
      dtype: { type: 'string' },
      grid: { type: 'string' },
      attn: { type: 'string', multiple: true },
      warmup: { type: 'string' },
      iterations: { type: 'string' },
      'max-cell-seconds': { type: 'string' },
      'min-iterations': { type: 'string' },
      seed: { type: 'string' },
      'compare-onnx': { type: 'string' },
      'compare-threads': { type: 'string' },
      'train-head': { type: 'string' },
      'infer-head': { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      'in-process': { type: 'boolean' },
      'backend-timeout': { type: 'string' },
      'backend-option': { type: 'string', multiple: true },
      batch: { type: 'string' },
      seq: { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new InputError(`bench takes one mode (train, infer or both), got ${JSON.stringify(positionals)}`);
  const options: BenchOptions = { modes: parseMode(values.mode ?? positionals[0]) };
  if (values.backend) options.backends = parseBackendList(values.backend);
  if (values.model !== undefined) options.model = values.model;
  if (values.dtype !== undefined) options.dtype = parseDType(values.dtype);
  if (values.grid !== undefined) options.grid = gridByName(values.grid).name as GridName;
  if (values.attn) options.attn = values.attn.includes('both') ? ['eager', 'sdpa'] : parseAttn(values.attn);
  if (values.batch !== undefined) options.batch = intList('--batch', values.batch);
  if (values.seq !== undefined) options.seq = intList('--seq', values.seq);
  const warmup = posInt('--warmup', values.warmup, true);
  if (warmup !== undefined) options.warmup = warmup;
  const iterations = posInt('--iterations', values.iterations);
  if (iterations !== undefined) options.iterations = iterations;
  if (values['max-cell-seconds'] !== undefined) {
    const s = Number(values['max-cell-seconds']);
    if (!(s > 0))
      throw new InputError(`--max-cell-seconds ${JSON.stringify(values['max-cell-seconds'])}: expected a number > 0`);
    options.maxCellSeconds = s;
  }
  const minIterations = posInt('--min-iterations', values['min-iterations']);
  if (minIterations !== undefined) options.minIterations = minIterations;
  const seed = posInt('--seed', values.seed, true);
  if (seed !== undefined) options.seed = seed;
  if (values['compare-onnx'] !== undefined) options.compareOnnx = values['compare-onnx'];
  const compareThreads = posInt('--compare-threads', values['compare-threads']);
  if (compareThreads !== undefined) options.compareThreads = compareThreads;
  const trainHead = parseHead('--train-head', values['train-head']);
  if (trainHead) options.trainHead = trainHead;
  const inferHead = parseHead('--infer-head', values['infer-head']);
  if (inferHead) options.inferHead = inferHead;
  if (values['backend-option']) options.backendOptions = parseBackendOptions(values['backend-option']);
  if (values['in-process']) options.isolate = false;
  if (values['backend-timeout'] !== undefined) {
    const s = Number(values['backend-timeout']);
    if (!(s > 0))
      throw new InputError(`--backend-timeout ${JSON.stringify(values['backend-timeout'])}: expected seconds > 0`);
    options.backendTimeoutSeconds = s;
  }
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json')
    throw new InputError(`--format ${JSON.stringify(format)}: expected md or json`);
  return { options, format, ...(values.out !== undefined ? { out: values.out } : {}) };
}
