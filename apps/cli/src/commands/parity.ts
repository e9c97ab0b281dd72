// `albert parity`: every fixture case on every installed backend, every tokenizer case, and the checks
// core can do alone (load reports, checkpoint formats); prints one table and fails on any failure.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AlbertConfig } from '@albertjs/core';
import {
  buildMatrix,
  type CaseResult,
  type CoreCheckResult,
  type CrossCheckResult,
  checkCheckpointFormats,
  checkLoadReports,
  compareRuns,
  DEFAULT_FIXTURES_DIR,
  type FixtureCase,
  listCases,
  matrixToHtml,
  matrixToMarkdown,
  readManifest,
} from '@albertjs/parity-tests';
import { type Command, Option } from 'commander';
import { type BackendName, parseBackendList } from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { type BackendRun, runBackendHere, runBackendIsolated, writeWorkerOutput } from '../parity-backend-run.js';
import type { RunContext } from '../program.js';
import { createProgress } from '../progress.js';
import { fmtDiff, renderTable } from '../table.js';
import { runTokenizerChecks, type TokenizerCheckResult } from '../tokenizer-checks.js';

export interface ParityOptions {
  fixtures?: string;
  backend?: string;
  json?: string;
  /** Output prefix of the matrix files (`true`: the default prefix `parity-matrix`). */
  matrix?: string | true;
  /** Only cases whose id matches this regular expression. */
  cases?: string;
  grads?: boolean;
  tokenizers?: boolean;
  /** Config of the cross-backend model: a preset name or a config.json path (default albert-base-v2). */
  crossConfig?: string;
  crossBatch?: number;
  crossSeq?: number;
  /** Print only failing rows and the summary. */
  failuresOnly?: boolean;
  /** Seconds before a case counts as stalled (default 120). */
  caseTimeout?: number;
  /** Run each backend in a child process (default true). */
  isolate?: boolean;
  /** Run the core-only checks (default true). */
  core?: boolean;
  /** Worker mode (internal): write this backend's run to the file. */
  worker?: string;
  workerCross?: string;
}

export interface ParityReport {
  fixtures: string;
  versions: Record<string, string>;
  backends: { name: BackendName; ok: boolean; description?: string; reason?: string; crashed?: boolean }[];
  cases: CaseResult[];
  core: CoreCheckResult[];
  tokenizers: TokenizerCheckResult[];
  crossCheck?: CrossCheckResult;
  pass: boolean;
  summary: { total: number; passed: number; failed: number };
}

export interface Row {
  check: string;
  backend: string;
  worst: string;
  maxAbs: number | undefined;
  pass: boolean;
}

function rowsOf(r: ParityReport): Row[] {
  const rows: Row[] = [];
  for (const c of r.core)
    rows.push({
      check: c.id,
      backend: 'core',
      worst: c.error ?? c.detail,
      maxAbs: c.kind === 'format' ? c.maxAbs : undefined,
      pass: c.pass,
    });
  for (const c of r.cases) {
    rows.push({
      check: c.id,
      backend: c.backend,
      worst: c.error ? `error: ${c.error}` : c.worst ? (c.worst.error ?? c.worst.name) : 'no tensors compared',
      maxAbs: c.error ? undefined : c.worst?.maxAbs,
      pass: c.pass,
    });
  }
  for (const t of r.tokenizers)
    rows.push({
      check: t.id,
      backend: 'tokenizer',
      worst: t.pass ? `${t.compared} compared` : (t.error ?? t.firstMismatch ?? ''),
      maxAbs: undefined,
      pass: t.pass,
    });
  return rows;
}

export function formatParityTable(r: ParityReport, failuresOnly = false): string {
  const rows = rowsOf(r).filter((x) => !failuresOnly || !x.pass);
  const table = renderTable(
    ['case', 'backend', 'worst tensor', 'max |Δ|', 'pass'],
    rows.map((x) => [
      x.check,
      x.backend,
      x.worst.length > 90 ? `${x.worst.slice(0, 87)}...` : x.worst,
      fmtDiff(x.maxAbs),
      x.pass ? 'PASS' : 'FAIL',
    ]),
  );
  const lines = [table, ''];
  const failed = rowsOf(r).filter((x) => !x.pass && x.worst.length > 90);
  if (failed.length) {
    lines.push('failures in full:');
    for (const x of failed) lines.push(`  ${x.check} [${x.backend}]: ${x.worst}`);
    lines.push('');
  }
  for (const b of r.backends)
    lines.push(b.ok ? `backend ${b.name}: ${b.description}` : `backend ${b.name}: ${b.reason}`);
  if (r.crossCheck) {
    const x = r.crossCheck;
    lines.push(
      `cross-check ${x.head} hidden ${x.shape.hidden} × ${x.shape.layers} layers, batch ${x.shape.batch} × seq ${x.shape.seq}: ${x.pass ? 'PASS' : 'FAIL'}`,
    );
    for (const run of x.runs) if (run.error) lines.push(`  ${run.backend}: error: ${run.error}`);
    for (const p of x.pairs)
      lines.push(`  ${p.a} vs ${p.b}: worst ${p.worst} max |Δ| ${fmtDiff(p.maxAbs)} ${p.pass ? 'PASS' : 'FAIL'}`);
  }
  const s = r.summary;
  lines.push(
    `${s.passed}/${s.total} checks passed${s.failed ? `, ${s.failed} FAILED` : ''}: ${r.pass ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}

function selectCases(dir: string, filter?: string): FixtureCase[] {
  let cases: FixtureCase[];
  try {
    cases = listCases(dir);
  } catch (e) {
    throw new CliError(`fixtures folder ${dir}: ${(e as Error).message}`, EXIT.BAD_INPUT);
  }
  if (!filter) return cases;
  let re: RegExp;
  try {
    re = new RegExp(filter);
  } catch (e) {
    throw new CliError(
      `--cases ${JSON.stringify(filter)} is not a valid regular expression: ${(e as Error).message}`,
      EXIT.USAGE,
    );
  }
  return cases.filter((c) => re.test(c.id));
}

function crossConfig(spec: string | undefined): AlbertConfig {
  const s = spec ?? 'albert-base-v2';
  return existsSync(s) ? AlbertConfig.fromJSON(readFileSync(s, 'utf8'), s) : AlbertConfig.fromPreset(s);
}

/** Runs everything `albert parity` checks and returns the report (no printing besides progress). */
export async function runParity(opts: ParityOptions, io: CliIO): Promise<ParityReport> {
  const dir = resolve(opts.fixtures ?? DEFAULT_FIXTURES_DIR);
  if (!existsSync(dir)) throw new CliError(`fixtures folder ${dir} does not exist`, EXIT.BAD_INPUT);
  const manifest = (() => {
    try {
      return readManifest(dir);
    } catch (e) {
      throw new CliError(`fixtures folder ${dir}: ${(e as Error).message}`, EXIT.BAD_INPUT);
    }
  })();
  const names = parseBackendList(opts.backend, 'all');
  const explicit = opts.backend !== undefined && opts.backend !== 'all' && opts.backend !== 'none';
  const cases = selectCases(dir, opts.cases);
  const progress = createProgress(io);
  const caseTimeoutMs = (opts.caseTimeout ?? 120) * 1000;
  const cross =
    opts.matrix !== undefined
      ? { config: crossConfig(opts.crossConfig), batch: opts.crossBatch ?? 2, seq: opts.crossSeq ?? 128 }
      : undefined;

  const core = opts.core === false ? [] : [...(await checkLoadReports(cases)), ...(await checkCheckpointFormats(dir))];

  const runs: BackendRun[] = [];
  try {
    for (const name of names) {
      progress.start(cases.length, `parity ${name}`);
      const runOpts = {
        grads: opts.grads !== false,
        caseTimeoutMs,
        onCase: (i: number) => progress.update(i),
        ...(cross ? { cross } : {}),
      };
      const run =
        opts.isolate === false
          ? await runBackendHere(name, cases, runOpts)
          : await runBackendIsolated(name, dir, opts.cases, cases, {
              ...runOpts,
              ...(cross ? { crossConfigArg: opts.crossConfig ?? 'albert-base-v2' } : {}),
              // every case may use its timeout, plus start-up and the cross-check model
              killAfterMs: caseTimeoutMs * (cases.length + (cross ? 3 : 1)) + 60_000,
            });
      progress.stop();
      if (explicit && !run.ok && !run.crashed)
        throw new CliError(`backend ${name} ${run.reason}`, EXIT.BACKEND_UNAVAILABLE);
      runs.push(run);
    }
  } finally {
    progress.stop();
  }
  const results = runs.flatMap((r) => r.results);
  const tokenizers = opts.tokenizers === false ? [] : await runTokenizerChecks(dir);
  const crossCheck = cross
    ? compareRuns(
        runs.filter((r) => r.cross).map((r) => r.cross!),
        cross.config,
        { batch: cross.batch, seq: cross.seq },
      )
    : undefined;
  const all = [
    ...core.map((c) => c.pass),
    ...results.map((r) => r.pass),
    ...tokenizers.map((t) => t.pass),
    ...runs.filter((r) => r.crashed && r.results.length === 0).map(() => false),
    ...(crossCheck ? [crossCheck.pass] : []),
  ];
  const passed = all.filter(Boolean).length;
  return {
    fixtures: dir,
    versions: manifest.versions ?? {},
    backends: runs.map((r) =>
      r.ok
        ? { name: r.name, ok: true, ...(r.description ? { description: r.description } : {}) }
        : { name: r.name, ok: false, reason: r.reason ?? 'unavailable', ...(r.crashed ? { crashed: true } : {}) },
    ),
    cases: results,
    core,
    tokenizers,
    ...(crossCheck ? { crossCheck } : {}),
    pass: passed === all.length,
    summary: { total: all.length, passed, failed: all.length - passed },
  };
}

/** `albert parity --worker <file>`: one backend's cases (and cross run), written for the parent process. */
async function runWorker(opts: ParityOptions, io: CliIO): Promise<void> {
  const dir = resolve(opts.fixtures ?? DEFAULT_FIXTURES_DIR);
  const [name] = parseBackendList(opts.backend, 'all');
  if (!name) throw new CliError('--worker needs exactly one --backend', EXIT.USAGE);
  const cases = selectCases(dir, opts.cases);
  const cross = opts.workerCross
    ? { config: crossConfig(opts.workerCross), batch: opts.crossBatch ?? 2, seq: opts.crossSeq ?? 128 }
    : undefined;
  const run = await runBackendHere(name, cases, {
    grads: opts.grads !== false,
    caseTimeoutMs: (opts.caseTimeout ?? 120) * 1000,
    onCase: (i, n) => io.err(`@@case ${i} ${n}`),
    ...(cross ? { cross } : {}),
  });
  writeWorkerOutput(opts.worker!, run);
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}

export function writeMatrix(prefix: string, report: ParityReport, cases: FixtureCase[], command: string): string[] {
  const matrix = buildMatrix(cases, report.cases, {
    skipped: report.backends.filter((b) => !b.ok).map((b) => ({ backend: b.name, reason: b.reason ?? '' })),
    ...(report.crossCheck ? { crossCheck: report.crossCheck } : {}),
    provenance: [
      `command: ${command}`,
      `date: ${new Date().toISOString()}`,
      `reference: transformers ${report.versions.transformers ?? '?'}, torch ${report.versions.torch ?? '?'}`,
      `node ${process.version} on ${process.platform}-${process.arch}`,
      ...report.backends.filter((b) => b.ok).map((b) => `${b.name}: ${b.description}`),
    ],
  });
  const md = `${prefix}.md`;
  const html = `${prefix}.html`;
  writeFile(md, matrixToMarkdown(matrix));
  writeFile(html, matrixToHtml(matrix));
  return [md, html];
}

export function registerParity(program: Command, ctx: RunContext): void {
  program
    .command('parity')
    .description(
      'check every backend against the Hugging Face reference fixtures (model cases, tokenizers, checkpoint formats)',
    )
    .option(
      '-f, --fixtures <dir>',
      'fixtures folder (manifest.json, cases/, models/, checkpoints/, tokenizers/)',
      DEFAULT_FIXTURES_DIR,
    )
    .option(
      '-b, --backend <names>',
      'tfjs, onnx, webgpu, a comma list, all (the installed ones) or none (core and tokenizer checks only)',
      'all',
    )
    .option('--json <file>', 'write the full report as JSON')
    .option(
      '--matrix [out-prefix]',
      'write <prefix>.md and <prefix>.html (default prefix: parity-matrix; heads × variants × backends) and cross-check the backends on a seeded random model',
    )
    .option('--cases <regex>', 'only the cases whose id (<config>__<head>__<variant>) matches')
    .option('--no-grads', 'skip gradient comparisons')
    .option('--no-tokenizers', 'skip the tokenizer cases')
    .option('--cross-config <preset|config.json>', 'model shape of the cross-backend check', 'albert-base-v2')
    .option('--cross-batch <n>', 'batch size of the cross-backend check', intArg, 2)
    .option('--cross-seq <n>', 'sequence length of the cross-backend check', intArg, 128)
    .option('--failures-only', 'print only failing rows and the summary')
    .option('--case-timeout <seconds>', 'fail a case that takes longer (a stalled device)', intArg, 120)
    .option('--no-isolate', 'run the backends in this process (a native crash then ends the run)')
    .addOption(new Option('--no-core', 'skip the core-only checks').hideHelp())
    .addOption(new Option('--worker <file>', 'internal: run one backend and write its results to <file>').hideHelp())
    .addOption(new Option('--worker-cross <config>', 'internal: also run the cross-check model').hideHelp())
    .action(async (o: ParityOptions) => {
      if (o.worker) {
        await runWorker(o, ctx.io);
        return;
      }
      const report = await runParity(o, ctx.io);
      ctx.io.out(formatParityTable(report, o.failuresOnly));
      if (o.json) {
        writeFile(o.json, `${JSON.stringify(report, jsonReplacer, 2)}\n`);
        ctx.io.err(`wrote ${o.json}`);
      }
      if (o.matrix !== undefined) {
        const files = writeMatrix(
          o.matrix === true ? 'parity-matrix' : o.matrix,
          report,
          selectCases(report.fixtures, o.cases),
          `albert ${process.argv.slice(2).join(' ')}`,
        );
        ctx.io.err(`wrote ${files.join(', ')}`);
      }
      ctx.exitCode = report.pass ? EXIT.OK : EXIT.CHECK_FAILED;
    });
}

/** Infinity (missing tensors) is not JSON: write it as the string "inf". */
function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

export function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliError(`expected a positive integer, got ${JSON.stringify(v)}`, EXIT.USAGE);
  return n;
}
