// What the Parity and Benchmarks pages show, rendered into their HTML at build time (vite.config.ts) from data
// committed in apps/docs/data/ (written by `pnpm --filter @albertjs/docs data`, scripts/data.mjs):
// - data/parity-matrix.html: `albert parity --backend all --matrix` (heads × variants × backends vs PyTorch);
// - data/bench/results.json: `albert bench infer --out` (latency cells).
import { type Cell, chartSvg } from '../live/chart.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The matrix of the CLI's self-contained matrix page, for the Parity page: its body without the title, and its
 * cell colours (not its page-wide rules).
 */
export function parityFragment(matrixPage: string): string {
  const body = /<body>([\s\S]*)<\/body>/.exec(matrixPage)?.[1];
  if (!body?.includes('<table id="parity-matrix">'))
    throw new Error('data/parity-matrix.html is not an `albert parity --matrix` page (no table#parity-matrix)');
  const cellRules = (/<style>([\s\S]*?)<\/style>/.exec(matrixPage)?.[1] ?? '')
    .split('}')
    .filter((r) => /^\s*(table|th|td)/.test(r))
    .map((r) => {
      const [selectors = '', declarations = ''] = r.trim().split('{');
      return `${selectors
        .split(',')
        .map((x) => `#matrix ${x.trim()}`)
        .join(', ')}{${declarations}}`;
    })
    .join('\n');
  return `<style>${cellRules}</style>${body.replace(/<h1>[\s\S]*?<\/h1>/, '')}`;
}

export interface BenchResults {
  modes: string[];
  cells: Cell[];
  /** Provenance `albert bench` records (machine, versions, date). */
  [k: string]: unknown;
}

/** One SVG chart per mode, with the run's provenance. */
export function benchmarksFragment(r: BenchResults, provenance: string[]): string {
  const charts = r.modes.map((m) => {
    const svg = chartSvg(r.cells, m);
    return `<h2>${esc(m)}</h2>${svg || '<p>no successful cells in this mode</p>'}`;
  });
  const failed = r.cells.filter((c) => c.error);
  const fails = failed.length
    ? `<h2>Cells that did not run</h2><ul>${failed.map((c) => `<li>${esc(`${c.backend} ${c.mode} ${c.attn} b${c.batch} s${c.seq}: ${c.error}`)}</li>`).join('')}</ul>`
    : '';
  // a backend whose run stopped early (a timeout) has fewer points: say why next to the chart
  const stopped = ((r.backends ?? []) as { name: string; failure?: string }[]).filter((b) => b.failure);
  const notes = stopped.length
    ? `<h2>Backends that stopped early</h2><ul>${stopped.map((b) => `<li>${esc(`${b.name}: ${b.failure}`)}</li>`).join('')}</ul>`
    : '';
  return `<ul class="provenance">${provenance.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>${charts.join('\n')}${notes}${fails}`;
}
