// Number and text formatting shared by the Markdown and SVG renderers.

/** 4 significant digits below 1000, integers with thousands separators above ('—' when missing). */
export function num(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (x === 0) return '0';
  return Number(x.toPrecision(4)).toString();
}

/** Percent with two decimals and its sign ('—' when missing). */
export function pct(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(2);
}

/** Bytes → MB (10⁶ bytes, as the seed's tables) with one decimal. */
export function mb(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  return (bytes / 1e6).toFixed(1);
}

/** Integer tokens/s with separators. */
export function rate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return Math.round(x).toLocaleString('en-US');
}

/** Text safe inside a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Text safe inside SVG/XML character data and attribute values. */
export function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
