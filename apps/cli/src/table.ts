// Plain-text tables for terminal output.

/** Left-aligned columns separated by two spaces, with a header underline. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** max |Δ| as printed in reports: `1.19e-7`, `0`, `inf`. */
export function fmtDiff(x: number | undefined): string {
  if (x === undefined) return '-';
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return 'inf';
  return x.toExponential(2);
}
