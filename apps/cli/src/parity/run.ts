// What `albert parity` checks: every fixture case on every installed backend (each in its own process unless
// --no-isolate), every tokenizer case, and the checks core can do alone (load reports, checkpoint formats).
// Only src/parity/ imports @albertjs/parity-tests (an optional peer dependency, loaded when `albert parity` runs).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AlbertConfig } from '@albertjs/core';
import {
  type CaseResult,
  type CoreCheckResult,
  type CrossCheckResult,
  checkCheckpointFormats,
  checkLoadReports,
  compareRuns,
  DEFAULT_FIXTURES_DIR,
  type FixtureCase,
  listCases,
  readManifest,
} from '@albertjs/parity-tests';
import { type BackendName, parseBackendList } from '../backends.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { createProgress } from '../progress.js';
import { type BackendRun, runBackendHere, runBackendIsolated, writeWorkerOutput } from './backend-run.js';
import { runTokenizerChecks, type TokenizerCheckResult } from './tokenizer-checks.js';

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

export function selectCases(dir: string, filter?: string): FixtureCase[] {
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
export async function runWorker(opts: ParityOptions, io: CliIO): Promise<void> {
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
