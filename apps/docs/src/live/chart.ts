// Latency charts for the benchmarks page, drawn from `albert bench` results.json cells.

export interface Cell {
  backend: string;
  mode: string;
  attn: string;
  batch: number;
  seq: number;
  perTokenMs?: number;
  error?: string;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Plot area: width, height and the margin around it (pixels). */
const W = 640;
const H = 320;
const PAD = 48;

/**
 * One series per backend × attention × batch: per-token latency over the sequence lengths, on a log₁₀ time axis
 * (backends differ by orders of magnitude). Every measured cell is a marker, so a series with one point shows.
 */
export function chartSvg(cells: Cell[], mode: string): string {
  const pts = cells.filter((c) => c.mode === mode && c.perTokenMs !== undefined && c.perTokenMs > 0);
  if (!pts.length) return '';
  const series = new Map<string, Cell[]>();
  for (const c of pts) {
    const k = `${c.backend} ${c.attn} b${c.batch}`;
    series.set(k, [...(series.get(k) ?? []), c]);
  }
  const seqs = [...new Set(pts.map((c) => c.seq))].sort((a, b) => a - b);
  const times = pts.map((c) => c.perTokenMs!);
  // the axis spans whole decades around the data: 10^lo … 10^hi
  const lo = Math.floor(Math.log10(Math.min(...times)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...times))));
  const x = (s: number) =>
    PAD + (seqs.length === 1 ? (W - 2 * PAD) / 2 : ((W - 2 * PAD) * seqs.indexOf(s)) / (seqs.length - 1));
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * (Math.log10(v) - lo)) / (hi - lo);
  const lines = [...series].map(([name, cs], i) => {
    const sorted = cs.sort((a, b) => a.seq - b.seq);
    const color = COLORS[i % COLORS.length];
    const at = sorted.map((c) => [x(c.seq).toFixed(1), y(c.perTokenMs!).toFixed(1)] as const);
    const path =
      at.length > 1
        ? `<path d="${at.map(([px, py], j) => `${j ? 'L' : 'M'}${px},${py}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`
        : '';
    const marks = sorted
      .map(
        (c, j) =>
          `<circle cx="${at[j]![0]}" cy="${at[j]![1]}" r="3.5" fill="${color}"><title>${name} s${c.seq}: ${c.perTokenMs!.toPrecision(3)} ms/token</title></circle>`,
      )
      .join('');
    return `${path}${marks}<text x="${W - PAD + 4}" y="${PAD + 14 * i}" font-size="11" fill="${color}">${name}</text>`;
  });
  const xTicks = seqs
    .map((s) => `<text x="${x(s)}" y="${H - PAD + 16}" font-size="11" text-anchor="middle">${s}</text>`)
    .join('');
  const yTicks: string[] = [];
  for (let e = lo; e <= hi; e++) {
    const py = y(10 ** e).toFixed(1);
    yTicks.push(
      `<line x1="${PAD - 4}" y1="${py}" x2="${W - PAD}" y2="${py}" stroke="#ddd"/><text x="${PAD - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle">${10 ** e >= 1 ? 10 ** e : (10 ** e).toPrecision(1)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W + 140}" height="${H}" role="img" aria-label="${mode} latency">
${yTicks.join('')}<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#333"/>
<text x="${PAD}" y="${PAD - 10}" font-size="12">ms per token (log scale)</text>${xTicks}
<text x="${W / 2}" y="${H - 8}" font-size="12" text-anchor="middle">sequence length</text>${lines.join('')}</svg>`;
}
