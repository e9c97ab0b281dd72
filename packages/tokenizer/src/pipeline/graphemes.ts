import { type CodePointArray, fromCodePoints } from '../unicode.js';

// Extended grapheme cluster boundaries (what tokenizers gets from unicode-segmentation), with a fast path for ASCII:
// two ASCII characters always have a boundary between them except CR LF, so only runs around non-ASCII characters are
// handed to Intl.Segmenter.

let segmenter: Intl.Segmenter | undefined;

/** Grapheme lengths, in code points, covering cps in order. */
export function graphemeLengths(cps: CodePointArray): number[] {
  const n = cps.length;
  const out: number[] = [];
  let i = 0;
  while (i < n) {
    const c = cps[i]!;
    const next = i + 1 < n ? cps[i + 1]! : -1;
    if (c < 0x80 && next < 0x80) {
      if (c === 13 && next === 10) {
        out.push(2);
        i += 2;
      } else {
        out.push(1);
        i += 1;
      }
      continue;
    }
    // A window from i through the next ASCII character that is followed by ASCII (or the end).
    let j = i + 1;
    while (j < n && !(cps[j]! < 0x80 && (j + 1 >= n || cps[j + 1]! < 0x80))) j++;
    j = Math.min(n, j + 1);
    segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const seg of segmenter.segment(fromCodePoints(cps, i, j))) {
      let len = 0;
      for (let k = 0; k < seg.segment.length; k++) {
        const u = seg.segment.charCodeAt(k);
        if (!(u >= 0xdc00 && u <= 0xdfff && k > 0)) len++;
      }
      out.push(len);
    }
    i = j;
  }
  return out;
}
