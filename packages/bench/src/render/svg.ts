// A hand-written SVG line chart: median ms per batch vs sequence length (both axes log scale), one panel
// per batch size, one line per backend × attention implementation (solid eager, dashed sdpa).
import type { BenchMode } from '../grids.js';
import type { BenchResult, CellResult } from '../result.js';
import { num, xml } from './format.js';

const PANEL_W = 300;
const PANEL_H = 220;
const MARGIN = { left: 64, right: 16, top: 56, bottom: 44 };
const LEGEND_W = 190;
const COLORS: Record<string, string> = {
  tfjs: '#e8710a',
  onnx: '#1a73e8',
  webgpu: '#188038',
  'transformers.js': '#5f6368',
};
const EXTRA_COLORS = ['#a142f4', '#d01884', '#12b5cb', '#b06000'];

function colorOf(backend: string, order: string[]): string {
  return COLORS[backend] ?? EXTRA_COLORS[order.indexOf(backend) % EXTRA_COLORS.length]!;
}

function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  // 1-2-5 ticks over up to two decades, powers of ten beyond (labels would collide).
  const mantissas = Math.log10(hi / lo) > 2 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

/** The chart of one mode, or undefined when that mode has no timed cell. */
export function renderSvgChart(result: BenchResult, mode: BenchMode): string | undefined {
  const cells = result.cells.filter(
    (c): c is CellResult & { msPerBatch: NonNullable<CellResult['msPerBatch']> } =>
      c.mode === mode && c.msPerBatch !== undefined,
  );
  if (cells.length === 0) return undefined;
  const g = result.grid[mode];
  const batches = g.batch.filter((b) => cells.some((c) => c.batch === b));
  const seqs = [...g.seq].sort((a, b) => a - b);
  // One line per backend × attention; transformers.js once per backend it was timed beside.
  const seriesKey = (c: CellResult) => `${c.backend}\u0000${c.attn}\u0000${c.pairedWith ?? ''}`;
  const series = [...new Set(cells.map(seriesKey))].map((k) => {
    const [backend, attn, pairedWith] = k.split('\u0000') as [string, string, string];
    return { key: k, backend, attn, label: pairedWith ? `${backend} beside ${pairedWith}` : `${backend} ${attn}` };
  });
  const backends = [...new Set(series.map((s) => s.backend))];
  const ms = cells.map((c) => c.msPerBatch.median);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...ms)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...ms)) + 1e-9);
  const xLo = Math.log2(seqs[0]!);
  const xHi = Math.log2(seqs[seqs.length - 1]!);
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const x = (seq: number) => MARGIN.left + (xHi === xLo ? plotW / 2 : ((Math.log2(seq) - xLo) / (xHi - xLo)) * plotW);
  const y = (v: number) =>
    MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * plotH;
  const width = PANEL_W * batches.length + LEGEND_W;
  const height = PANEL_H + 28;
  const title = `${mode === 'train' ? 'Training step (gradients)' : 'Inference (forward)'}: median ms per batch vs sequence length, ${result.model.name}, ${result.dtype}`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="13" font-weight="bold">${xml(title)}</text>`,
  ];
  batches.forEach((batch, i) => {
    const ox = i * PANEL_W;
    out.push(`<g transform="translate(${ox},0)">`);
    out.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top - 10}" text-anchor="middle" font-weight="bold">batch ${batch}</text>`,
    );
    out.push(
      `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9aa0a6"/>`,
    );
    for (const t of logTicks(yLo, yHi)) {
      out.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e8eaed"/>`,
      );
      out.push(`<text x="${MARGIN.left - 4}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${xml(num(t))}</text>`);
    }
    for (const s of seqs) {
      out.push(
        `<line x1="${x(s).toFixed(1)}" x2="${x(s).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#5f6368"/>`,
      );
      out.push(`<text x="${x(s).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${s}</text>`);
    }
    out.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 32}" text-anchor="middle">sequence length</text>`,
    );
    if (i === 0)
      out.push(
        `<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">ms per batch</text>`,
      );
    for (const s of series) {
      const pts = cells.filter((c) => seriesKey(c) === s.key && c.batch === batch).sort((a, b) => a.seq - b.seq);
      if (pts.length === 0) continue;
      const color = colorOf(s.backend, backends);
      const dash = s.attn === 'sdpa' ? ' stroke-dasharray="6 3"' : '';
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => `${x(p.seq).toFixed(1)},${y(p.msPerBatch.median).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const p of pts) {
        out.push(
          `<circle cx="${x(p.seq).toFixed(1)}" cy="${y(p.msPerBatch.median).toFixed(1)}" r="3" fill="${color}"><title>${xml(`${s.label} ${batch}×${p.seq}: ${num(p.msPerBatch.median)} ms (min ${num(p.msPerBatch.min)}, p90 ${num(p.msPerBatch.p90)})`)}</title></circle>`,
        );
      }
    }
    out.push('</g>');
  });
  const lx = PANEL_W * batches.length + 8;
  series.forEach((s, i) => {
    const ly = MARGIN.top + i * 18;
    const color = colorOf(s.backend, backends);
    const dash = s.attn === 'sdpa' ? ' stroke-dasharray="6 3"' : '';
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${xml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
