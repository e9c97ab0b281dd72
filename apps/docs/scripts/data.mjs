// Fills public/ with the data pages show: the parity matrix (`albert parity --backend all --matrix`) and the
// latest benchmark run (`albert bench infer --out`, copied to public/bench/latest/). Needs apps/cli built.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pub = resolve(here, '../public');
const albert = resolve(here, '../../cli/dist/bin.js');
const grid = process.argv[2] ?? 'smoke';

const run = (args) => {
  const r = spawnSync(process.execPath, [albert, ...args], { stdio: 'inherit' });
  return r.status ?? 1;
};

const parity = run(['parity', '--backend', 'all', '--failures-only', '--matrix', join(pub, 'parity/matrix')]);
const out = mkdtempSync(join(tmpdir(), 'albert-bench-'));
const bench = run(['bench', 'infer', '--grid', grid, '--out', out]);
const [latest] = readdirSync(out).sort().reverse();
if (latest) {
  rmSync(join(pub, 'bench/latest'), { recursive: true, force: true });
  cpSync(join(out, latest), join(pub, 'bench/latest'), { recursive: true });
}
process.exitCode = parity || bench;
