// @albertjs/bench: the seed document's training / inference tables for every albertjs backend,
// JSON and SVG charts, and a side-by-side comparison with transformers.js (`albert bench`).

export {
  BACKEND_NAMES,
  type BackendName,
  backendImporters,
  isBackendName,
  type OpenedBackend,
  openBackend,
  parseBackendList,
} from './backends.js';
export { withBackendDefaults } from './defaults.js';
export { type BenchEnvironment, describeEnvironment, shellJoin } from './environment.js';
export { type BenchEvent, EventCollector } from './events.js';
export {
  BENCH_MODES,
  type BenchMode,
  GRIDS,
  type Grid,
  type GridName,
  gridByName,
  type ModeGrid,
  validateGrid,
} from './grids.js';
export { type CellBatch, makeBatch } from './inputs.js';
export {
  type BackendMemoryInfo,
  type MemoryReportingBackend,
  type RssMethod,
  type RssPeak,
  RssPeakMeter,
  reportsMemory,
} from './memory.js';
export { type ResolvedModel, resolveModel, TINY_FIELDS } from './model.js';
export {
  BENCH_DTYPES,
  type BenchDType,
  type BenchOptions,
  LOAD_DTYPE,
  type ParsedBenchArgs,
  parseAttn,
  parseBackendOptions,
  parseBenchArgs,
  parseDType,
  parseMode,
} from './options.js';
export { renderJson } from './render/json.js';
export { cellMemoryBytes, renderMarkdown, runsOverrideNote } from './render/markdown.js';
export { renderSvgChart } from './render/svg.js';
export type { BackendStatus, BenchResult, CellMemory, CellResult, ComparisonInfo } from './result.js';
export { RESULT_SCHEMA } from './result.js';
export { runBench } from './run.js';
export { median, percentGain, quantile, type Summary, summarize } from './stats.js';
export { writeBenchOutputs } from './write.js';
