// What `albert parity` prints and writes: the results table, the JSON report and the parity matrix files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildMatrix, type FixtureCase, matrixToHtml, matrixToMarkdown } from '@albertjs/parity-tests';
import { fmtDiff, renderTable } from '../table.js';
import type { ParityReport } from './run.js';

export interface Row {
  check: string;
  backend: string;
  worst: string;
  maxAbs: number | undefined;
  pass: boolean;
}

function rowsOf(r: ParityReport): Row[] {
  const rows: Row[] = [];
  for (const c of r.core)
    rows.push({
      check: c.id,
      backend: 'core',
      worst: c.error ?? c.detail,
      maxAbs: c.kind === 'format' ? c.maxAbs : undefined,
      pass: c.pass,
    });
  for (const c of r.cases) {
    rows.push({
      check: c.id,
      backend: c.backend,
      worst: c.error ? `error: ${c.error}` : c.worst ? (c.worst.error ?? c.worst.name) : 'no tensors compared',
      maxAbs: c.error ? undefined : c.worst?.maxAbs,
      pass: c.pass,
    });
  }
  for (const t of r.tokenizers)
    rows.push({
      check: t.id,
      backend: 'tokenizer',
      worst: t.pass ? `${t.compared} compared` : (t.error ?? t.firstMismatch ?? ''),
      maxAbs: undefined,
      pass: t.pass,
    });
  return rows;
}

export function formatParityTable(r: ParityReport, failuresOnly = false): string {
  const rows = rowsOf(r).filter((x) => !failuresOnly || !x.pass);
  const table = renderTable(
    ['case', 'backend', 'worst tensor', 'max |Δ|', 'pass'],
    rows.map((x) => [
      x.check,
      x.backend,
      x.worst.length > 90 ? `${x.worst.slice(0, 87)}...` : x.worst,
      fmtDiff(x.maxAbs),
      x.pass ? 'PASS' : 'FAIL',
    ]),
  );
  const lines = [table, ''];
  const failed = rowsOf(r).filter((x) => !x.pass && x.worst.length > 90);
  if (failed.length) {
    lines.push('failures in full:');
    for (const x of failed) lines.push(`  ${x.check} [${x.backend}]: ${x.worst}`);
    lines.push('');
  }
  for (const b of r.backends)
    lines.push(b.ok ? `backend ${b.name}: ${b.description}` : `backend ${b.name}: ${b.reason}`);
  if (r.crossCheck) {
    const x = r.crossCheck;
    lines.push(
      `cross-check ${x.head} hidden ${x.shape.hidden} × ${x.shape.layers} layers, batch ${x.shape.batch} × seq ${x.shape.seq}: ${x.pass ? 'PASS' : 'FAIL'}`,
    );
    for (const run of x.runs) if (run.error) lines.push(`  ${run.backend}: error: ${run.error}`);
    for (const p of x.pairs)
      lines.push(`  ${p.a} vs ${p.b}: worst ${p.worst} max |Δ| ${fmtDiff(p.maxAbs)} ${p.pass ? 'PASS' : 'FAIL'}`);
  }
  const s = r.summary;
  lines.push(
    `${s.passed}/${s.total} checks passed${s.failed ? `, ${s.failed} FAILED` : ''}: ${r.pass ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, text);
}

export function writeMatrix(prefix: string, report: ParityReport, cases: FixtureCase[], command: string): string[] {
  const matrix = buildMatrix(cases, report.cases, {
    skipped: report.backends.filter((b) => !b.ok).map((b) => ({ backend: b.name, reason: b.reason ?? '' })),
    ...(report.crossCheck ? { crossCheck: report.crossCheck } : {}),
    provenance: [
      `command: ${command}`,
      `date: ${new Date().toISOString()}`,
      `reference: transformers ${report.versions.transformers ?? '?'}, torch ${report.versions.torch ?? '?'}`,
      `node ${process.version} on ${process.platform}-${process.arch}`,
      ...report.backends.filter((b) => b.ok).map((b) => `${b.name}: ${b.description}`),
    ],
  });
  const md = `${prefix}.md`;
  const html = `${prefix}.html`;
  const json = `${prefix}.json`;
  writeFile(md, matrixToMarkdown(matrix));
  writeFile(html, matrixToHtml(matrix));
  // the matrix itself (Infinity as "inf"), for pages that draw it (the docs site's Parity page)
  writeFile(json, `${JSON.stringify(matrix, jsonReplacer, 2)}\n`);
  return [md, html, json];
}

/** The full report as JSON. */
export function writeJsonReport(path: string, report: ParityReport): void {
  writeFile(path, `${JSON.stringify(report, jsonReplacer, 2)}\n`);
}

/** Infinity (missing tensors) is not JSON: write it as the string "inf". */
function jsonReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}
