import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_MODES, gridByName, parseBackendList } from '@albertjs/bench';
import { describe, expect, it } from 'vitest';
import { benchProgress, countBenchCells } from '../src/bench-progress.js';
import { benchArgv } from '../src/commands/bench.js';
import { bufferIO, main } from '../src/index.js';
import { recordingProgress } from '../src/progress.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../src/bin.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

// Smoke only: no timing is asserted; the numbers are for BENCHMARKS.md, not for tests.
describe('albert bench (delegates to @albertjs/bench)', () => {
  it('maps the CLI flags onto the bench package argv', () => {
    expect(
      benchArgv('infer', {
        backend: ['onnx,tfjs'],
        grid: 'smoke',
        model: 'tiny',
        dtype: 'f32',
        attn: ['sdpa'],
        json: true,
        out: 'o',
      }),
    ).toEqual([
      'infer',
      '--backend',
      'onnx,tfjs',
      '--attn',
      'sdpa',
      '--model',
      'tiny',
      '--dtype',
      'f32',
      '--grid',
      'smoke',
      '--out',
      'o',
      '--format',
      'json',
    ]);
    // Every other flag reaches the bench parser, which validates it.
    const argv = benchArgv('train', {
      batch: '1,8',
      seq: '128,512',
      minIterations: '1',
      maxCellSeconds: '60',
      backendOption: ['tfjs.runtime=cpu', 'tfjs.gradientCheckpointing=true'],
      backendTimeout: '600',
      compareThreads: '1',
    });
    expect(argv).toEqual([
      'train',
      '--max-cell-seconds',
      '60',
      '--min-iterations',
      '1',
      '--batch',
      '1,8',
      '--seq',
      '128,512',
      '--backend-option',
      'tfjs.runtime=cpu',
      '--backend-option',
      'tfjs.gradientCheckpointing=true',
      '--backend-timeout',
      '600',
      '--compare-threads',
      '1',
    ]);
  });

  it('runs the smoke grid on the onnx backend and writes Markdown, JSON and an SVG chart', () => {
    const out = mkdtempSync(join(tmpdir(), 'albert-bench-'));
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@albertjs/source',
        '--import',
        tsx,
        bin,
        'bench',
        'infer',
        '--grid',
        'smoke',
        '--backend',
        'onnx',
        '--model',
        'tiny',
        '--out',
        out,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('# albertjs bench: smoke grid, tiny, f32');
    expect(r.stdout).toContain('`albert bench infer --backend onnx --model tiny --grid smoke --out');
    expect(r.stdout).toMatch(
      /\|batch_size\|seq_len\|Per token latency eager \(ms\)\|Per token latency SDPA \(ms\)\|Speedup \(%\)/,
    );
    const [run] = readdirSync(out);
    expect(run).toMatch(/^smoke-/);
    const dir = join(out, run!);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.backends.find((b: { name: string }) => b.name === 'onnx').ran).toBe(true);
    expect(existsSync(join(dir, 'chart-infer.svg'))).toBe(true);
  });

  it('rejects a bad value with a usage error, without a stack trace', () => {
    const r = spawnSync(
      process.execPath,
      ['--conditions=@albertjs/source', '--import', tsx, bin, 'bench', 'infer', '--grid', 'huge'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("argument 'huge' is invalid");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('shows a progress bar with one step per measured cell (in process, progress recorded)', async () => {
    const io = bufferIO();
    const code = await main(
      ['bench', 'infer', '--grid', 'smoke', '--backend', 'onnx', '--model', 'tiny', '--attn', 'both'],
      io,
    );
    expect(code, io.stderr.join('\n')).toBe(0);
    const smoke = gridByName('smoke').infer;
    const total = smoke.batch.length * smoke.seq.length * 2;
    expect(io.progressEvents[0]).toBe(`start ${total} bench`);
    expect(io.progressEvents.at(-1)).toBe('stop');
    const updates = io.progressEvents.slice(1, -1);
    expect(updates).toHaveLength(total);
    for (const [i, u] of updates.entries())
      expect(u).toMatch(new RegExp(`^update ${i + 1} bench onnx infer (eager|sdpa) \\d+×\\d+$`));
    // without a terminal the cell lines are printed as well
    expect(io.stderr.filter((l) => /^onnx infer (eager|sdpa) \d+×\d+: /.test(l))).toHaveLength(total);
  });

  it('counts the planned cells: grid overrides × attention × backends, plus transformers.js cells', () => {
    const lib = { gridByName, parseBackendList };
    const seed = gridByName('seed');
    const c = countBenchCells(lib, { grid: 'seed', backends: ['onnx', 'tfjs'] });
    expect(c.modes).toEqual([...BENCH_MODES]);
    expect(c.perMode).toEqual({
      train: seed.train.batch.length * seed.train.seq.length * 2,
      infer: seed.infer.batch.length * seed.infer.seq.length * 2,
    });
    expect(c.total).toBe(2 * (c.perMode.train! + c.perMode.infer!));
    const o = countBenchCells(lib, {
      modes: ['infer'],
      backends: ['all'],
      batch: [1, 2, 3],
      seq: [8],
      attn: ['sdpa'],
      compareOnnx: 'x.onnx',
    });
    expect(o).toEqual({ backends: ['tfjs', 'onnx', 'webgpu'], modes: ['infer'], perMode: { infer: 6 }, total: 18 });
  });

  it('a skipped or failed backend or mode counts its remaining cells as done', () => {
    const events: string[] = [];
    const count = countBenchCells({ gridByName, parseBackendList }, { grid: 'smoke', backends: ['tfjs', 'onnx'] });
    const p = benchProgress(count, recordingProgress(events, { err: () => {} }));
    const cell = { mode: 'infer', attn: 'eager', batch: 1, seq: 8, warmup: 0, iterations: 1 } as const;
    p.onEvent({ kind: 'backend', status: { name: 'tfjs', ran: true, description: 'tfjs-cpu' } });
    p.onEvent({ kind: 'skipMode', backend: 'tfjs', mode: 'train', reason: 'tfjs implements no gradients()' });
    p.onEvent({ kind: 'cell', cell: { ...cell, backend: 'tfjs' } });
    p.onEvent({ kind: 'cell', cell: { ...cell, backend: 'transformers.js', attn: 'as exported', pairedWith: 'tfjs' } });
    p.onEvent({ kind: 'failure', backend: 'tfjs', mode: 'infer', reason: 'infer: timed out after 60 s' });
    // each mode's process of a backend that is not installed says so: counted once
    p.onEvent({ kind: 'backend', status: { name: 'onnx', ran: false, reason: 'not installed (@albertjs/onnx)' } });
    p.onEvent({ kind: 'backend', status: { name: 'onnx', ran: false, reason: 'not installed (@albertjs/onnx)' } });
    p.onEvent({ kind: 'log', line: 'onnx: skipped' });
    const train = count.perMode.train!;
    const perBackend = train + count.perMode.infer!;
    expect(events).toEqual([
      `update ${train} bench tfjs train skipped`,
      `update ${train + 1} bench tfjs infer eager 1×8`,
      `update ${train + 2} bench transformers.js 1×8`,
      `update ${perBackend} bench tfjs failed`,
      `update ${2 * perBackend} bench onnx skipped`,
    ]);
    expect(2 * perBackend).toBe(count.total);
  });
});
