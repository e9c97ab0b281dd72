// The backends' raw results (flat float32 arrays) → transformers' output object for the head: every field
// shaped from the HEADS table and the prepared inputs, hidden_states / attentions when asked for, and the
// loss from the prepared labels (or the backend's own, differentiable loss).
// Loss blocks: https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L496-L501
import type { AlbertConfig } from '../config.js';
import { BackendError } from '../errors.js';
import { bceWithLogits, crossEntropy, IGNORE_INDEX, mse, scalar } from '../heads/losses.js';
import type { HeadName } from '../heads/names.js';
import { type FieldSpec, HEADS } from '../heads/table.js';
import type { F32, HeadOutputs } from '../outputs.js';
import { Tensor } from '../tensor.js';
import type { ResolvedCall } from './attention.js';
import type { PreparedInputs } from './prepare.js';

export interface RawOutputs {
  /** Each field of HEADS[head].fields by its HF name, flat, in the field's row-major layout. */
  fields: Record<string, Float32Array>;
  /** One [batch·S·H] array per entry (1 + layers × inner_group_num). */
  hiddenStates?: Float32Array[];
  /** One [batch·heads·S·S] array per inner layer application. */
  attentions?: Float32Array[];
  /** The backend's own loss (tfjs computes it differentiably); otherwise it is computed here. */
  loss?: F32;
}

/** Projection results by source (`mlm`, `onPooled`, `onTokens`, `last`, `pooled`), flat. */
export type Projections = Partial<Record<FieldSpec['from'], Float32Array>>;

/** The shape of a field of `head` for these inputs. */
export function fieldShape(head: HeadName, c: AlbertConfig, f: FieldSpec, p: PreparedInputs): number[] {
  const spec = HEADS[head];
  const tokens = [...p.lead, p.seq];
  switch (f.from) {
    case 'last':
      return [...tokens, c.hidden_size];
    case 'pooled':
      return [p.batch, c.hidden_size];
    case 'mlm':
      return [...tokens, c.vocab_size];
    case 'onPooled':
      return head === 'AlbertForMultipleChoice' ? [...p.lead] : [p.batch, spec.onPooled!.out(c)]; // MC: [B·C, 1] viewed as [B, C]
    case 'onTokens':
      return f.column === undefined ? [...tokens, spec.onTokens!.out(c)] : tokens;
  }
}

/** The rank of a field of `head` (the rank of fieldShape's result). */
export function fieldRank(head: HeadName, f: FieldSpec): number {
  const lead = head === 'AlbertForMultipleChoice' ? 2 : 1;
  if (f.from === 'pooled' || f.from === 'onPooled') return 2; // [batch, n], or [B, C] for multiple choice
  return lead + (f.from === 'onTokens' && f.column !== undefined ? 1 : 2);
}

/** Fields from per-source projections (a backend that computes `onTokens` as one [rows, n] matrix gets its columns split). */
export function fieldsFromProjections(
  head: HeadName,
  c: AlbertConfig,
  proj: Projections,
): Record<string, Float32Array> {
  const spec = HEADS[head];
  const out: Record<string, Float32Array> = {};
  for (const f of spec.fields) {
    const src = proj[f.from];
    if (!src) continue;
    if (f.column === undefined) {
      out[f.name] = src;
      continue;
    }
    const n = spec.onTokens!.out(c);
    const col = new Float32Array(src.length / n);
    for (let i = 0; i < col.length; i++) col[i] = src[i * n + f.column]!; // [rows, n] → column [rows]
    out[f.name] = col;
  }
  return out;
}

const f32 = (name: string, data: Float32Array, shape: number[]): F32 => {
  try {
    return new Tensor('float32', data, shape);
  } catch (e) {
    throw new BackendError(`the backend returned ${data.length} values for ${name}, expected shape [${shape}]`, {
      cause: e,
    });
  }
};

/** The loss transformers returns for the head from its fields and the prepared labels (undefined without labels). */
export function lossFromLabels(
  head: HeadName,
  c: AlbertConfig,
  fields: Record<string, Float32Array>,
  p: Pick<PreparedInputs, 'labels' | 'lead' | 'seq'>,
): F32 | undefined {
  const L = p.labels;
  switch (HEADS[head].loss) {
    case 'none':
      return undefined;
    case 'pretraining':
      if (!L.ids || !L.sentenceOrder) return undefined;
      return scalar(
        crossEntropy(fields.prediction_logits!, c.vocab_size, L.ids, IGNORE_INDEX) +
          crossEntropy(fields.sop_logits!, 2, L.sentenceOrder),
      );
    case 'tokens': {
      if (!L.ids) return undefined;
      const logits = fields.logits!;
      return scalar(crossEntropy(logits, logits.length / L.ids.length, L.ids));
    }
    case 'choice':
      return L.ids ? scalar(crossEntropy(fields.logits!, p.lead[1]!, L.ids)) : undefined;
    case 'sequence': {
      const logits = fields.logits!;
      if (L.ids) return scalar(crossEntropy(logits, c.num_labels, L.ids));
      if (!L.floats) return undefined;
      return scalar(L.problemType === 'regression' ? mse(logits, L.floats) : bceWithLogits(logits, L.floats));
    }
    case 'span': {
      if (!L.startPositions || !L.endPositions) return undefined;
      const S = p.seq; // clamped positions equal to S are ignored
      return scalar(
        (crossEntropy(fields.start_logits!, S, L.startPositions, S) +
          crossEntropy(fields.end_logits!, S, L.endPositions, S)) /
          2,
      );
    }
  }
}

/** The head's output object (core/outputs.ts field names and shapes). */
export function assembleOutput<H extends HeadName>(
  head: H,
  c: AlbertConfig,
  raw: RawOutputs,
  p: PreparedInputs,
  call: Pick<ResolvedCall, 'outputHiddenStates' | 'outputAttentions'>,
): HeadOutputs[H] {
  const out: Record<string, F32 | F32[]> = {};
  const loss = raw.loss ?? lossFromLabels(head, c, raw.fields, p);
  if (loss) out.loss = loss;
  for (const f of HEADS[head].fields) {
    const data = raw.fields[f.name];
    if (!data) throw new BackendError(`the backend returned no ${f.name} for ${head}`);
    out[f.name] = f32(f.name, data, fieldShape(head, c, f, p));
  }
  if (call.outputHiddenStates && raw.hiddenStates)
    out.hidden_states = raw.hiddenStates.map((d, i) => f32(`hidden_states.${i}`, d, [p.batch, p.seq, c.hidden_size])); // [batch, S, H]
  if (call.outputAttentions && raw.attentions)
    out.attentions = raw.attentions.map((d, i) =>
      f32(`attentions.${i}`, d, [p.batch, c.num_attention_heads, p.seq, p.seq]),
    ); // [batch, heads, S, S]
  return out as unknown as HeadOutputs[H];
}
