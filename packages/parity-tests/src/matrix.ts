// The parity matrix: heads × variants × backends, worst max |Δ| per cell, as Markdown and HTML.
import type { CrossCheckResult } from './cross-backend.js';
import type { CaseResult } from './runner.js';

export interface MatrixCell {
  /** Worst max |Δ| of the outputs (`out.*`) over the cases in the cell (Infinity on an error). */
  maxAbs: number;
  /** Worst max |Δ| of the gradients (`grad.*`), when the cell's cases compared any. */
  gradMaxAbs?: number;
  pass: boolean;
  cases: number;
  /** The first error in the cell, if any. */
  error?: string;
}

export interface ParityMatrix {
  /** `<config> / <head>` rows, in fixture order. */
  rows: string[];
  variants: string[];
  backends: string[];
  /** cells[row][variant][backend]; absent where the fixtures have no such case. */
  cells: Record<string, Record<string, Record<string, MatrixCell>>>;
  /** Backends that could not run, with the reason. */
  skipped: { backend: string; reason: string }[];
  crossCheck?: CrossCheckResult;
  /** Free-form provenance lines (command, versions, machine, date). */
  provenance: string[];
}

export interface MatrixCaseInfo {
  id: string;
  config: string;
  head: string;
  variant: string;
}

/** Builds the matrix from case results; `cases` maps result ids to their fixture description. */
export function buildMatrix(
  cases: readonly MatrixCaseInfo[],
  results: readonly CaseResult[],
  extra: Partial<Pick<ParityMatrix, 'skipped' | 'crossCheck' | 'provenance'>> = {},
): ParityMatrix {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const rows: string[] = [];
  const variants: string[] = [];
  const backends: string[] = [];
  const cells: ParityMatrix['cells'] = {};
  const add = <T>(list: T[], v: T) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const c of cases) {
    add(rows, `${c.config} / ${c.head}`);
    add(variants, c.variant);
  }
  for (const r of results) {
    const c = byId.get(r.id);
    if (!c) continue;
    const row = `${c.config} / ${c.head}`;
    add(backends, r.backend);
    const rowCells = cells[row] ?? {};
    cells[row] = rowCells;
    const vCells = rowCells[c.variant] ?? {};
    rowCells[c.variant] = vCells;
    const worstOf = (prefix: string) =>
      Math.max(0, ...r.diffs.filter((d) => d.name.startsWith(prefix)).map((d) => d.maxAbs));
    const m = r.error ? Number.POSITIVE_INFINITY : worstOf('out.');
    const g = r.diffs.some((d) => d.name.startsWith('grad.')) ? worstOf('grad.') : undefined;
    const prev = vCells[r.backend];
    if (!prev) {
      vCells[r.backend] = {
        maxAbs: m,
        pass: r.pass,
        cases: 1,
        ...(g !== undefined ? { gradMaxAbs: g } : {}),
        ...(r.error ? { error: r.error } : {}),
      };
    } else {
      prev.maxAbs = Math.max(prev.maxAbs, m);
      if (g !== undefined) prev.gradMaxAbs = Math.max(prev.gradMaxAbs ?? 0, g);
      prev.pass &&= r.pass;
      prev.cases += 1;
      if (r.error && !prev.error) prev.error = r.error;
    }
  }
  return {
    rows,
    variants,
    backends,
    cells,
    skipped: extra.skipped ?? [],
    provenance: extra.provenance ?? [],
    ...(extra.crossCheck ? { crossCheck: extra.crossCheck } : {}),
  };
}

function fmt(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return 'error';
  return x.toExponential(1);
}

function cellText(c: MatrixCell | undefined): string {
  if (!c) return '·';
  return `${c.pass ? '✓' : '✗'} ${fmt(c.maxAbs)}${c.gradMaxAbs !== undefined ? ` (∇ ${fmt(c.gradMaxAbs)})` : ''}`;
}

/** Markdown: one table per backend (rows: config / head, columns: variants), then the cross-backend check. */
export function matrixToMarkdown(m: ParityMatrix): string {
  const out: string[] = ['# albertjs parity matrix', ''];
  out.push(
    'Worst max |Δ| of the outputs per cell against Hugging Face transformers (PyTorch), and of the gradients as (∇ …) where the backend computes them; ✓ within tolerance (1e-4 outputs, 5e-4 gradients), ✗ over it, · no such fixture case.',
    '',
  );
  for (const p of m.provenance) out.push(`- ${p}`);
  if (m.provenance.length) out.push('');
  for (const b of m.backends) {
    out.push(`## ${b}`, '');
    out.push(`| model | ${m.variants.join(' | ')} |`);
    out.push(`|---|${m.variants.map(() => '---').join('|')}|`);
    for (const r of m.rows) out.push(`| ${r} | ${m.variants.map((v) => cellText(m.cells[r]?.[v]?.[b])).join(' | ')} |`);
    out.push('');
  }
  if (m.skipped.length) {
    out.push('## Backends not run', '');
    for (const s of m.skipped) out.push(`- **${s.backend}**: ${s.reason}`);
    out.push('');
  }
  if (m.crossCheck) out.push(...crossCheckMarkdown(m.crossCheck));
  return out.join('\n');
}

function crossCheckMarkdown(x: CrossCheckResult): string[] {
  const s = x.shape;
  const out = [
    `## Backends against each other`,
    '',
    `${x.head}, albert-base-v2 shape (hidden ${s.hidden}, ${s.layers} layers, vocab ${s.vocab}), seeded random weights, batch ${s.batch} × seq ${s.seq}: ${x.pass ? 'PASS' : 'FAIL'}`,
    '',
  ];
  out.push('| backend | ms | error |', '|---|---|---|');
  for (const r of x.runs) out.push(`| ${r.backend} | ${r.ms.toFixed(0)} | ${r.error ?? ''} |`);
  out.push('', '| pair | worst output | max abs diff | pass |', '|---|---|---|---|');
  for (const p of x.pairs) out.push(`| ${p.a} ↔ ${p.b} | ${p.worst} | ${fmt(p.maxAbs)} | ${p.pass ? '✓' : '✗'} |`);
  out.push('');
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A self-contained HTML page: one table, variants × backends as grouped columns, colored cells. */
export function matrixToHtml(m: ParityMatrix): string {
  const head1 = m.variants.map((v) => `<th colspan="${m.backends.length}">${esc(v)}</th>`).join('');
  const head2 = m.variants.map(() => m.backends.map((b) => `<th>${esc(b)}</th>`).join('')).join('');
  const body = m.rows
    .map((r) => {
      const tds = m.variants
        .map((v) =>
          m.backends
            .map((b) => {
              const c = m.cells[r]?.[v]?.[b];
              if (!c) return '<td class="none">·</td>';
              const title = c.error ? ` title="${esc(c.error)}"` : ` title="${c.cases} case(s)"`;
              const grad = c.gradMaxAbs !== undefined ? `<br><small>∇ ${fmt(c.gradMaxAbs)}</small>` : '';
              return `<td class="${c.pass ? 'pass' : 'fail'}"${title}>${fmt(c.maxAbs)}${grad}</td>`;
            })
            .join(''),
        )
        .join('');
      return `<tr><th scope="row">${esc(r)}</th>${tds}</tr>`;
    })
    .join('\n');
  const skipped = m.skipped.length
    ? `<h2>Backends not run</h2><ul>${m.skipped.map((s) => `<li><b>${esc(s.backend)}</b>: ${esc(s.reason)}</li>`).join('')}</ul>`
    : '';
  const x = m.crossCheck;
  const cross = x
    ? `<h2>Backends against each other</h2><p>${esc(x.head)}, hidden ${x.shape.hidden}, ${x.shape.layers} layers, vocab ${x.shape.vocab}, batch ${x.shape.batch} × seq ${x.shape.seq}: <b>${x.pass ? 'PASS' : 'FAIL'}</b></p>
<table><tr><th>pair</th><th>worst output</th><th>max |Δ|</th></tr>${x.pairs.map((p) => `<tr><td>${esc(p.a)} ↔ ${esc(p.b)}</td><td>${esc(p.worst)}</td><td class="${p.pass ? 'pass' : 'fail'}">${fmt(p.maxAbs)}</td></tr>`).join('')}${x.runs
        .filter((r) => r.error)
        .map((r) => `<tr><td>${esc(r.backend)}</td><td colspan="2" class="fail">${esc(r.error ?? '')}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>albertjs parity matrix</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:center}th[scope=row]{text-align:left}
td.pass{background:#e3f6e3}td.fail{background:#fbe0e0}td.none{color:#999}
</style></head><body>
<h1>albertjs parity matrix</h1>
<p>Worst max |Δ| per cell against Hugging Face transformers (PyTorch). Green: within tolerance (1e-4 outputs, 5e-4 gradients).</p>
<ul>${m.provenance.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<table id="parity-matrix"><thead><tr><th rowspan="2">model</th>${head1}</tr><tr>${head2}</tr></thead><tbody>
${body}
</tbody></table>
${skipped}
${cross}
</body></html>
`;
}
