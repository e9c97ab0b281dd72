// `albert bench train|infer|both`: the seed document's training / inference tables for every backend,
// delegated to @albertjs/bench (runBench, its Markdown / JSON / SVG renderers). Options are parsed by
// the bench package's own parseBenchArgs so `albert bench` and `node packages/bench/dist/main.js` agree.
import { join } from 'node:path';
import { Argument, type Command, Option } from 'commander';
import { BACKEND_NAMES, type BackendName, backendsRunning, checkBackendDType, importRequired } from '../backends.js';
import { benchProgress, countBenchCells } from '../bench-progress.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { RunContext } from '../program.js';
import { createProgress } from '../progress.js';

type BenchLib = typeof import('@albertjs/bench');

function loadBench(): Promise<BenchLib> {
  return importRequired<BenchLib>('@albertjs/bench', 'albert bench needs');
}

interface BenchFlags {
  backend?: string[];
  model?: string;
  dtype?: string;
  grid?: string;
  attn?: string[];
  warmup?: string;
  iterations?: string;
  maxCellSeconds?: string;
  minIterations?: string;
  batch?: string;
  seq?: string;
  backendOption?: string[];
  backendTimeout?: string;
  seed?: string;
  compareOnnx?: string;
  compareThreads?: string;
  trainHead?: string;
  inferHead?: string;
  out?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The bench package's argv for these flags (its parser validates every value). */
export function benchArgv(mode: string | undefined, o: BenchFlags): string[] {
  const argv: string[] = mode ? [mode] : [];
  const flag = (name: string, v: string | undefined) => {
    if (v !== undefined) argv.push(`--${name}`, v);
  };
  for (const b of o.backend ?? []) flag('backend', b);
  for (const a of o.attn ?? []) flag('attn', a);
  flag('model', o.model);
  flag('dtype', o.dtype);
  flag('grid', o.grid);
  flag('warmup', o.warmup);
  flag('iterations', o.iterations);
  flag('max-cell-seconds', o.maxCellSeconds);
  flag('min-iterations', o.minIterations);
  flag('batch', o.batch);
  flag('seq', o.seq);
  for (const b of o.backendOption ?? []) flag('backend-option', b);
  flag('backend-timeout', o.backendTimeout);
  flag('seed', o.seed);
  flag('compare-onnx', o.compareOnnx);
  flag('compare-threads', o.compareThreads);
  flag('train-head', o.trainHead);
  flag('infer-head', o.inferHead);
  flag('out', o.out);
  if (o.json) flag('format', 'json');
  return argv;
}

/**
 * `--dtype` as the task commands treat it: a backend named with -b that cannot run it is a usage error (exit 2);
 * with every backend (no -b, or -b all) only those that run it are benchmarked, and the others are named.
 */
function restrictToDType(options: { backends?: string[] }, dtype: string, shown: string, ctx: RunContext): void {
  const named = options.backends?.filter((b) => b !== 'all') ?? [];
  const all = !options.backends || options.backends.includes('all');
  for (const b of named) checkBackendDType(b as BackendName, dtype, shown);
  if (!all) return;
  const runs = backendsRunning(dtype);
  const skipped = BACKEND_NAMES.filter((b) => !runs.includes(b) && !named.includes(b));
  if (skipped.length)
    ctx.io.err(`--dtype ${shown}: skipping ${skipped.join(', ')} (${dtype} runs on ${runs.join(', ')})`);
  options.backends = [...new Set([...named, ...runs])];
}

export function registerBench(program: Command, ctx: RunContext): void {
  program
    .command('bench')
    .description(
      'benchmark training and inference per backend and attention implementation (seeded random weights, no download)',
    )
    .addArgument(new Argument('[mode]', 'train, infer or both (default both)').choices(['train', 'infer', 'both']))
    .option('-b, --backend <names>', 'tfjs, onnx, webgpu, a comma list or all (repeatable)', collect)
    .option('-m, --model <shape>', 'albert-base-v2 (or another preset), tiny, or a model folder (its config only)')
    .addOption(new Option('--dtype <dtype>', 'precision').choices(['f32', 'f16', 'int8']))
    .addOption(
      new Option('--grid <grid>', 'smoke: seconds (CI); seed: the documentation grids; full: both and more').choices([
        'smoke',
        'seed',
        'full',
      ]),
    )
    .option('--attn <impl>', 'eager, sdpa or both (repeatable)', collect)
    .option('--warmup <n>', 'warm-up runs per cell')
    .option('--iterations <n>', 'timed runs per cell')
    .option('--max-cell-seconds <s>', 'stop repeating a cell after this long (the runs done are reported)')
    .option('--min-iterations <n>', 'fewest timed runs per cell under --max-cell-seconds (default 3)')
    .option('--batch <list>', "batch sizes, e.g. 1,8 (replaces the grid's)")
    .option('--seq <list>', "sequence lengths, e.g. 128,512 (replaces the grid's)")
    .option(
      '--backend-option <backend.key=value>',
      "passed to that backend's createBackend(), e.g. tfjs.runtime=cpu (repeatable)",
      collect,
    )
    .option('--backend-timeout <s>', "kill a backend's child process after this long (its cells so far are kept)")
    .option('--seed <n>', 'seed of the random weights and inputs')
    .option(
      '--compare-onnx <file>',
      'also run transformers.js on this ONNX file, same inputs, same process (inference)',
    )
    .option('--compare-threads <n>', 'onnxruntime intra-op threads of the transformers.js session')
    .option('--train-head <class>', 'model class timed in training (default AlbertForSequenceClassification)')
    .option('--infer-head <class>', 'model class timed in inference (default AlbertModel)')
    .option('--out <dir>', 'write results.md, results.json and SVG charts under <dir>/<grid>-<date>/')
    .option('--json', 'print JSON instead of Markdown')
    .action(async (mode: string | undefined, o: BenchFlags) => {
      const lib = await loadBench();
      const argv = benchArgv(mode, o);
      const { options, out, format } = lib.parseBenchArgs(argv);
      if (options.dtype) restrictToDType(options, lib.LOAD_DTYPE[options.dtype], options.dtype, ctx);
      options.command = lib.shellJoin(['albert', 'bench', ...argv]);
      const count = countBenchCells(lib, options);
      const progress = createProgress(ctx.io);
      // Every line (backends, cells with their times, skips, failures) is printed above the bar.
      options.log = (line: string) => progress.log(line);
      options.onEvent = benchProgress(count, progress).onEvent;
      progress.start(count.total, 'bench');
      let result: Awaited<ReturnType<BenchLib['runBench']>>;
      try {
        result = await lib.runBench(options);
      } finally {
        progress.stop();
      }
      ctx.io.out(format === 'json' ? lib.renderJson(result) : lib.renderMarkdown(result));
      if (out) {
        const dir = join(out, `${result.grid.name}-${result.environment.date.replace(/[:.]/g, '-')}`);
        for (const p of await lib.writeBenchOutputs(result, dir)) ctx.io.err(`wrote ${p}`);
      }
      if (!result.backends.some((b) => b.ran)) {
        throw new CliError(
          `no backend ran: ${result.backends.map((b) => `${b.name}: ${b.ran ? 'ran' : (b.reason ?? 'skipped')}`).join('; ')}`,
          EXIT.BACKEND_UNAVAILABLE,
        );
      }
    });
}
