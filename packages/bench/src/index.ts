// @albertjs/bench: the seed document's training / inference tables for every albertjs backend,
// JSON and SVG charts, and a side-by-side comparison with transformers.js (`albert bench`).
export { runBench } from './run.js';
export { type BenchOptions, type BenchDType, type ParsedBenchArgs, BENCH_DTYPES, LOAD_DTYPE, parseBenchArgs, parseMode, parseDType, parseAttn } from './options.js';
export { GRIDS, type Grid, type GridName, type ModeGrid, type BenchMode, BENCH_MODES, gridByName, validateGrid } from './grids.js';
export { BACKEND_NAMES, type BackendName, type OpenedBackend, openBackend, parseBackendList, isBackendName, backendImporters } from './backends.js';
export type { BenchResult, CellResult, CellMemory, BackendStatus, ComparisonInfo } from './result.js';
export { RESULT_SCHEMA } from './result.js';
export { type Summary, summarize, quantile, median, percentGain } from './stats.js';
export { type BackendMemoryInfo, type MemoryReportingBackend, RssPeakMeter, type RssPeak, type RssMethod, reportsMemory } from './memory.js';
export { SeededRandom } from './random.js';
export { randomCheckpoint, randomWeights } from './weights.js';
export { makeBatch, type CellBatch } from './inputs.js';
export { resolveModel, type ResolvedModel, TINY_FIELDS } from './model.js';
export { type BenchEnvironment, describeEnvironment, shellJoin } from './environment.js';
export { renderMarkdown, cellMemoryBytes } from './render/markdown.js';
export { renderJson } from './render/json.js';
export { renderSvgChart } from './render/svg.js';
export { writeBenchOutputs } from './write.js';
