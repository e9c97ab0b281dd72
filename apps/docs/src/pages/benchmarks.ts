// The benchmarks page: charts drawn from the results.json `albert bench --out public/bench` wrote
// (public/bench/latest/results.json), one chart per mode: ms per token against sequence length.
import { type Cell, chartSvg } from '../live/chart.js';
import { renderNav } from '../site.js';

renderNav();

const box = document.querySelector<HTMLDivElement>('#charts')!;
const r = await fetch(`${import.meta.env.BASE_URL}bench/latest/results.json`);
const isJson = r.ok && (r.headers.get('content-type') ?? '').includes('json');
if (!isJson) {
  box.innerHTML =
    '<p id="no-bench">No benchmark results in this build yet: run <code>pnpm --filter @albertjs/docs data</code> (albert bench → public/bench/latest/).</p>';
} else {
  const result = (await r.json()) as { cells: Cell[]; modes: string[] };
  box.innerHTML = result.modes
    .map((m) => `<h2>${m}</h2>${chartSvg(result.cells, m) || '<p>no successful cells</p>'}`)
    .join('');
}
