// NaN / ±Inf in inputs_embeds, as torch propagates them. WGSL lets shader compilers assume finite math
// (https://www.w3.org/TR/WGSL/#floating-point-evaluation: "implementations may assume that overflow,
// infinities, and NaNs are not present"), and SwiftShader does: a NaN embedding came out as finite logits.
// In torch a non-finite value in token t of row b makes LayerNorm of that token NaN (hidden_states[0]
// at t), then every attention score of row b against key t is NaN, so from the first layer on the whole
// row b is NaN (hidden states, attentions, pooled output, every head output of that row); other rows are
// untouched. The device results are patched on the host to that, before core assembles the output.
import type { PreparedInputs, RawOutputs } from '@albertjs/core';

/** Rows (and tokens) whose embeddings hold a non-finite value; undefined when all are finite. */
export function nonFiniteRows(p: PreparedInputs): { rows: Set<number>; tokens: Set<number> } | undefined {
  const e = p.inputsEmbeds;
  if (!e) return undefined;
  const tokens = new Set<number>();
  const E = e.length / (p.batch * p.seq);
  for (let i = 0; i < e.length; i++) if (!Number.isFinite(e[i]!)) tokens.add(Math.floor(i / E));
  if (tokens.size === 0) return undefined;
  return { rows: new Set([...tokens].map((t) => Math.floor(t / p.seq))), tokens };
}

/** Sets the blocks of `data` (p.batch equal rows, or batch·S tokens) that torch would give as NaN. */
function poison(data: Float32Array, parts: number, which: Set<number>): void {
  const block = data.length / parts;
  for (const r of which) data.fill(Number.NaN, r * block, (r + 1) * block);
}

export function propagateNonFinite(p: PreparedInputs, raw: RawOutputs): void {
  const bad = nonFiniteRows(p);
  if (!bad) return;
  for (const d of Object.values(raw.fields)) poison(d, p.batch, bad.rows);
  raw.hiddenStates?.forEach((d, i) => {
    if (i === 0)
      poison(d, p.batch * p.seq, bad.tokens); // the embedding output: only the tokens themselves
    else poison(d, p.batch, bad.rows);
  });
  for (const d of raw.attentions ?? []) poison(d, p.batch, bad.rows);
}
