// A copy of a spiece.model with every NORMAL piece's score shifted by `delta` (the float32 bytes rewritten in place,
// the ModelProto otherwise untouched): models whose best score is above 0, to tell apart rules about user-defined
// symbols (scored `bytes × max_score − 0.1`, or 0) that give the same pieces while max_score is FLT_MIN.
function varint(b: Uint8Array, i: number): [number, number] {
  let r = 0;
  let shift = 0;
  for (;;) {
    const c = b[i++]!;
    r += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(c & 0x80)) return [r, i];
  }
}

export function shiftNormalScores(model: Uint8Array, delta: number): Uint8Array {
  const b = new Uint8Array(model);
  const view = new DataView(b.buffer);
  let i = 0;
  while (i < b.length) {
    const [tag, j] = varint(b, i);
    i = j;
    const wire = tag & 7;
    if (wire === 0) i = varint(b, i)[1];
    else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else if (wire === 2) {
      const [len, k] = varint(b, i);
      i = k;
      if (tag >>> 3 === 1) {
        // ModelProto.pieces: SentencePiece { piece = 1, score = 2 (float), type = 3 (default NORMAL) }
        let p = i;
        let scoreAt = -1;
        let type = 1;
        while (p < i + len) {
          const [t, q] = varint(b, p);
          p = q;
          if ((t & 7) === 2) p = varint(b, p)[1] + varint(b, p)[0];
          else if ((t & 7) === 5) {
            if (t >>> 3 === 2) scoreAt = p;
            p += 4;
          } else if ((t & 7) === 0) {
            const [v, r] = varint(b, p);
            if (t >>> 3 === 3) type = v;
            p = r;
          } else throw new Error(`unexpected wire type ${t & 7} in a SentencePiece`);
        }
        if (scoreAt >= 0 && type === 1)
          view.setFloat32(scoreAt, Math.fround(view.getFloat32(scoreAt, true) + delta), true);
      }
      i += len;
    } else throw new Error(`unexpected wire type ${wire} in the ModelProto`);
  }
  return b;
}
