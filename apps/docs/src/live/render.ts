// Renders pipeline results as HTML tables (lists of records) or a vector summary (tensors).
import { Tensor } from '@albertjs/core';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (typeof v === 'string') return esc(v);
  return esc(JSON.stringify(v));
}

export function renderResult(v: unknown): string {
  if (v instanceof Tensor) {
    const d = Array.from(v.data as Float32Array);
    const norm = Math.sqrt(d.reduce((a, x) => a + x * x, 0));
    return `<p>vector [${v.shape.join(', ')}], norm <span data-norm>${norm.toFixed(4)}</span></p><p class="mono">[${d
      .slice(0, 8)
      .map((x) => x.toFixed(4))
      .join(', ')}${d.length > 8 ? ', …' : ''}]</p>`;
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length && list.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) {
    const cols = [...new Set(list.flatMap((r) => Object.keys(r as object)))];
    const rows = list
      .map((r) => `<tr>${cols.map((c) => `<td>${cell((r as Record<string, unknown>)[c])}</td>`).join('')}</tr>`)
      .join('');
    return `<table class="result"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
  }
  return `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;
}

/** What a page puts in data-json for its tests: tensors (feature-extraction) as { dims, data }. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && 'tolist' in x && 'dims' in x ? { dims: x.dims, data: Array.from(x.data) } : x,
  );
}
