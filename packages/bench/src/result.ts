// The structured result of a benchmark run (what results.json holds and the renderers read).
import type { AlbertConfigFields, AttnImplementation, HeadName } from '@albertjs/core';
import type { BenchEnvironment } from './environment.js';
import type { BenchMode, Grid } from './grids.js';
import type { RssMethod } from './memory.js';
import type { BenchDType } from './options.js';
import type { Summary } from './stats.js';

export const RESULT_SCHEMA = 'albertjs-bench/1';

export interface CellMemory {
  /** Highest RSS of the process while the cell ran (bytes). */
  rssPeakBytes: number;
  /** RSS when the cell began (bytes). */
  rssBaselineBytes: number;
  /** The backend's own figure, when it reports one (tf.memory(), GPU buffer bytes …). */
  backendPeakBytes?: number;
  backendSource?: string;
}

export interface CellResult {
  /** 'tfjs' | 'onnx' | 'webgpu' | 'transformers.js'. */
  backend: string;
  mode: BenchMode;
  /** 'as exported' for a third-party ONNX graph (transformers.js). */
  attn: AttnImplementation | 'as exported';
  batch: number;
  seq: number;
  warmup: number;
  /** Timed runs actually made (fewer than asked when maxCellSeconds cut the cell short). */
  iterations: number;
  /** Milliseconds per batch (one forward, or one gradients() call in training). */
  msPerBatch?: Summary;
  /** Median ms per batch / seq: the seed's "Per token latency" (it grows with batch there too). */
  perTokenMs?: number;
  /** batch × seq / median seconds per batch. */
  tokensPerSecond?: number;
  memory?: CellMemory;
  /** Why the cell has no timings (load failure, out of memory, unsupported dtype …). */
  error?: string;
  /** transformers.js cells: the backend measured beside it, in the same process, on the same inputs. */
  pairedWith?: string;
}

export interface BackendStatus {
  name: string;
  ran: boolean;
  /** Backend.describe(): what actually ran. */
  description?: string;
  /** Why it was skipped (not installed, no createBackend, no adapter …). */
  reason?: string;
  /** Modes skipped on a backend that ran, with why (e.g. train: no gradients()). */
  skippedModes?: Partial<Record<BenchMode, string>>;
  /** How its isolated process ended early (crash, signal, timeout); the cells measured before remain. */
  failure?: string;
}

export interface ComparisonInfo {
  onnx: string;
  configSource: string;
  description: string;
  /** Set when transformers.js could not run; no comparison cells then. */
  error?: string;
}

export interface BenchResult {
  schema: typeof RESULT_SCHEMA;
  environment: BenchEnvironment;
  model: {
    name: string;
    source: string;
    shape: Pick<
      AlbertConfigFields,
      | 'vocab_size'
      | 'embedding_size'
      | 'hidden_size'
      | 'num_hidden_layers'
      | 'num_hidden_groups'
      | 'inner_group_num'
      | 'num_attention_heads'
      | 'intermediate_size'
      | 'hidden_act'
    >;
    /** Parameters of each timed head (shared layers counted once). */
    parameters: Partial<Record<BenchMode, number>>;
    weights: string;
  };
  grid: Grid;
  modes: BenchMode[];
  heads: Record<BenchMode, HeadName>;
  attn: AttnImplementation[];
  dtype: BenchDType;
  seed: number;
  /** Each backend ran in its own child process. */
  isolated: boolean;
  maxCellSeconds?: number;
  /** How peak RSS was measured (absent when no cell ran). */
  rssMethod?: RssMethod;
  backends: BackendStatus[];
  cells: CellResult[];
  comparison?: ComparisonInfo;
  /** Wall time of the whole run, seconds. */
  totalSeconds: number;
}
