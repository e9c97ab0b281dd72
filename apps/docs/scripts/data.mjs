// Writes the data the Parity and Benchmarks pages show (committed in apps/docs/data/, rendered into the pages at
// build time by vite.config.ts). Needs apps/cli built. Takes minutes: run it by hand and commit the result.
// - data/parity-matrix.{html,json}: `albert parity --backend all --matrix` on the parity-tests fixtures;
// - data/bench/results.json + provenance.txt: `albert bench infer` on the albert-base-v2 shape (seeded weights),
//   batch 1 × seq 32/64/128, every backend, eager and sdpa.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const data = resolve(here, '../data');
const albert = resolve(here, '../../cli/dist/bin.js');
const BENCH = [
  'infer',
  '--model',
  'albert-base-v2',
  '--batch',
  '1',
  '--seq',
  '32,64,128',
  '--backend',
  'onnx,tfjs,webgpu',
];
const BENCH_OPTS = [
  '--attn',
  'both',
  '--warmup',
  '1',
  '--iterations',
  '3',
  '--max-cell-seconds',
  '30',
  '--backend-timeout',
  '400',
];

const run = (args) => spawnSync(process.execPath, [albert, ...args], { stdio: 'inherit' }).status ?? 1;

const tmp = mkdtempSync(join(tmpdir(), 'albert-docs-data-'));
const parity = run(['parity', '--backend', 'all', '--failures-only', '--matrix', join(tmp, 'parity-matrix')]);
for (const ext of ['html', 'json']) cpSync(join(tmp, `parity-matrix.${ext}`), join(data, `parity-matrix.${ext}`));

const load = loadavg()[0].toFixed(1);
const bench = run(['bench', ...BENCH, ...BENCH_OPTS, '--out', join(tmp, 'bench')]);
const [latest] = readdirSync(join(tmp, 'bench')).sort().reverse();
if (latest) {
  rmSync(join(data, 'bench'), { recursive: true, force: true });
  mkdirSync(join(data, 'bench'), { recursive: true });
  const results = JSON.parse(readFileSync(join(tmp, 'bench', latest, 'results.json'), 'utf8'));
  writeFileSync(join(data, 'bench/results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const env = results.environment;
  writeFileSync(
    join(data, 'bench/provenance.txt'),
    `${[
      `command: albert bench ${[...BENCH, ...BENCH_OPTS].join(' ')}`,
      `date: ${env.date}`,
      `machine: ${env.cpu.model} (${env.cpu.cores} cores), load average ${env.loadAverage[0].toFixed(1)} while it ran (${load} before; on a shared machine compare the backends, not the absolute numbers)`,
      ...results.backends.filter((b) => b.failure).map((b) => `${b.name}: ${b.failure}`),
      `node ${env.node}; seeded random weights, no download`,
    ].join('\n')}\n`,
  );
}
rmSync(tmp, { recursive: true, force: true });
process.exitCode = parity || bench;
