import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchArgv } from '../src/commands/bench.js';

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
});
