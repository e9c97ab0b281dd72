// Human-readable rendering of task results: lists of records become tables, tensors a short summary.
import { Tensor } from '@albertjs/core';
import { renderTable } from './table.js';

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

function isRecordList(v: unknown): v is Record<string, unknown>[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Tensor))
  );
}

function tensorSummary(t: Tensor): string {
  const d = Array.from(t.data as ArrayLike<number | bigint>, Number);
  const norm = Math.sqrt(d.reduce((a, x) => a + x * x, 0));
  const head = d.slice(0, 6).map((x) => x.toFixed(4));
  return `[${t.shape.join(', ')}] ${t.dtype}  norm ${norm.toFixed(4)}  [${head.join(', ')}${d.length > 6 ? ', …' : ''}]`;
}

/** Renders a pipeline result for the terminal. */
export function renderResult(v: unknown): string {
  if (v instanceof Tensor) return tensorSummary(v);
  if (isRecordList(v)) {
    const cols = [...new Set(v.flatMap((r) => Object.keys(r)))];
    return renderTable(
      cols,
      v.map((r) => cols.map((c) => cell(r[c]))),
    );
  }
  if (Array.isArray(v)) return v.map((x, i) => `[${i}]\n${renderResult(x)}`).join('\n');
  if (typeof v === 'object' && v !== null)
    return renderTable(
      ['field', 'value'],
      Object.entries(v).map(([k, x]) => [k, cell(x)]),
    );
  return cell(v);
}

/** JSON for task results: tensors become `{ dims, data }`, as transformers.js prints them. */
export function toJson(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => {
      if (x instanceof Tensor)
        return { dims: x.shape, dtype: x.dtype, data: Array.from(x.data as ArrayLike<number | bigint>, Number) };
      if (typeof x === 'bigint') return Number(x);
      return x;
    },
    2,
  );
}
