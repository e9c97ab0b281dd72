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

/** One line per backend × attention × batch: per-token latency over the sequence lengths. */
export function chartSvg(cells: Cell[], mode: string): string {
  const pts = cells.filter((c) => c.mode === mode && c.perTokenMs !== undefined);
  if (!pts.length) return '';
  const series = new Map<string, Cell[]>();
  for (const c of pts) {
    const k = `${c.backend} ${c.attn} b${c.batch}`;
    series.set(k, [...(series.get(k) ?? []), c]);
  }
  const W = 640;
  const H = 320;
  const pad = 48;
  const seqs = [...new Set(pts.map((c) => c.seq))].sort((a, b) => a - b);
  const maxY = Math.max(...pts.map((c) => c.perTokenMs!));
  const x = (s: number) =>
    pad + (seqs.length === 1 ? (W - 2 * pad) / 2 : ((W - 2 * pad) * seqs.indexOf(s)) / (seqs.length - 1));
  const y = (v: number) => H - pad - ((H - 2 * pad) * v) / maxY;
  const lines = [...series].map(([name, cs], i) => {
    const sorted = cs.sort((a, b) => a.seq - b.seq);
    const color = COLORS[i % COLORS.length];
    const d = sorted.map((c, j) => `${j ? 'L' : 'M'}${x(c.seq).toFixed(1)},${y(c.perTokenMs!).toFixed(1)}`).join(' ');
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/><text x="${W - pad + 4}" y="${pad + 14 * i}" font-size="11" fill="${color}">${name}</text>`;
  });
  const ticks = seqs
    .map((s) => `<text x="${x(s)}" y="${H - pad + 16}" font-size="11" text-anchor="middle">${s}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W + 140}" height="${H}" role="img" aria-label="${mode} latency">
<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#333"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#333"/>
<text x="${pad}" y="${pad - 10}" font-size="12">ms per token (max ${maxY.toPrecision(3)})</text>${ticks}
<text x="${W / 2}" y="${H - 8}" font-size="12" text-anchor="middle">sequence length</text>${lines.join('')}</svg>`;
}
