// One backend's share of `albert parity`: its fixture cases and (for --matrix) its forward pass on the seeded
// random model. Runs in this process, or in a child process (`albert parity --worker`) so that a backend that
// aborts natively (a GPU driver, a wasm trap) or hangs is reported as a failure instead of taking the CLI down.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AlbertConfig, parseSafetensors, serializeSafetensors, type Tensor } from '@albertjs/core';
import { type CaseResult, type CrossRun, type FixtureCase, runCases, runOnRandomModel } from '@albertjs/parity-tests';
import { type BackendName, openBackend } from '../backends.js';

export interface CrossSpec {
  config: AlbertConfig;
  batch: number;
  seq: number;
}

export interface BackendRun {
  name: BackendName;
  /** Started and ran its cases (even if some failed). */
  ok: boolean;
  description?: string;
  /** Why it did not run (not installed / unavailable), or how it died (crashed / killed). */
  reason?: string;
  /** True when the backend started but its process died or hung: a failure, not a skip. */
  crashed?: boolean;
  results: CaseResult[];
  cross?: CrossRun;
}

export interface RunOptions {
  grads: boolean;
  caseTimeoutMs: number;
  cross?: CrossSpec;
  onCase?: (done: number, total: number) => void;
}

/** Runs in this process. */
export async function runBackendHere(
  name: BackendName,
  cases: readonly FixtureCase[],
  o: RunOptions,
): Promise<BackendRun> {
  const s = await openBackend(name);
  if (!s.ok) return { name, ok: false, reason: s.reason, results: [] };
  try {
    const results = await runCases(s.backend, cases, {
      grads: o.grads,
      timeoutMs: o.caseTimeoutMs,
      onResult: (_r, i) => o.onCase?.(i + 1, cases.length),
    });
    const cross = o.cross
      ? await runOnRandomModel(s.backend, o.cross.config, { batch: o.cross.batch, seq: o.cross.seq })
      : undefined;
    return { name, ok: true, description: s.description, results, ...(cross ? { cross } : {}) };
  } finally {
    await s.backend.dispose?.();
  }
}

/** What a worker writes: the run without tensors; the cross outputs go to a safetensors file beside it. */
interface WorkerOutput extends Omit<BackendRun, 'cross'> {
  cross?: Omit<CrossRun, 'outputs'> & { outputsFile?: string };
}

export function writeWorkerOutput(file: string, run: BackendRun): void {
  const { cross, ...rest } = run;
  const out: WorkerOutput = { ...rest };
  if (cross) {
    const { outputs, ...meta } = cross;
    out.cross = meta;
    if (outputs) {
      const f = `${file}.cross.safetensors`;
      writeFileSync(f, serializeSafetensors(outputs as Map<string, Tensor>));
      out.cross.outputsFile = f;
    }
  }
  writeFileSync(
    file,
    JSON.stringify(out, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 'Infinity' : v)),
  );
}

function readWorkerOutput(file: string): BackendRun {
  const w = JSON.parse(readFileSync(file, 'utf8'), (_k, v) =>
    v === 'Infinity' ? Number.POSITIVE_INFINITY : v,
  ) as WorkerOutput;
  const { cross, ...rest } = w;
  if (!cross) return rest;
  const { outputsFile, ...meta } = cross;
  const outputs = outputsFile
    ? parseSafetensors(new Uint8Array(readFileSync(outputsFile)), outputsFile).tensors
    : undefined;
  return { ...rest, cross: { ...meta, ...(outputs ? { outputs } : {}) } };
}

/** The CLI entry to re-run as a worker: dist/bin.js when built, else src/bin.ts through tsx. */
function workerCommand(): { cmd: string; args: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const js = resolve(here, '../bin.js');
  if (existsSync(js)) return { cmd: process.execPath, args: [js] };
  const ts = resolve(here, '../bin.ts');
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { cmd: process.execPath, args: ['--conditions=@albertjs/source', '--import', tsx, ts] };
}

/** Runs in a child process; a crash, a non-zero exit without output or a hang past `killAfterMs` is a failure. */
export async function runBackendIsolated(
  name: BackendName,
  fixtures: string,
  caseFilter: string | undefined,
  cases: readonly FixtureCase[],
  o: RunOptions & { crossConfigArg?: string; killAfterMs: number },
): Promise<BackendRun> {
  const tmp = mkdtempSync(join(tmpdir(), `albert-parity-${name}-`));
  const out = join(tmp, 'run.json');
  const { cmd, args } = workerCommand();
  const argv = [
    ...args,
    'parity',
    '--worker',
    out,
    '--fixtures',
    fixtures,
    '--backend',
    name,
    '--case-timeout',
    String(o.caseTimeoutMs / 1000),
  ];
  if (caseFilter !== undefined) argv.push('--cases', caseFilter);
  if (!o.grads) argv.push('--no-grads');
  if (o.cross && o.crossConfigArg)
    argv.push(
      '--worker-cross',
      o.crossConfigArg,
      '--cross-batch',
      String(o.cross.batch),
      '--cross-seq',
      String(o.cross.seq),
    );
  try {
    const { code, signal, stderr, killed } = await new Promise<{
      code: number | null;
      signal: string | null;
      stderr: string;
      killed: boolean;
    }>((res) => {
      const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, o.killAfterMs);
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        for (const line of d.split('\n')) {
          const m = /^@@case (\d+) (\d+)$/.exec(line);
          if (m) o.onCase?.(Number(m[1]), Number(m[2]));
        }
        stderr = (stderr + d).slice(-4000);
      });
      child.on('close', (c, s) => {
        clearTimeout(timer);
        res({ code: c, signal: s, stderr, killed });
      });
    });
    if (existsSync(out)) return readWorkerOutput(out);
    const tail = stderr
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('@@case') && !/onnxruntime/.test(l))
      .slice(-3)
      .join(' | ');
    const how = killed
      ? `killed after ${(o.killAfterMs / 1000).toFixed(0)} s without finishing`
      : signal
        ? `crashed (${signal})`
        : `exited with code ${code}`;
    return {
      name,
      ok: false,
      crashed: true,
      reason: `${how}${tail ? `: ${tail}` : ''}`,
      results: cases.map((c) => ({
        id: c.id,
        backend: name,
        diffs: [],
        worst: undefined,
        pass: false,
        error: `not run: backend process ${how}`,
      })),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
