// tokenizers' TemplateProcessing post-processor ("[CLS] $A [SEP]" / "[CLS] $A [SEP] $B:1 [SEP]:1").
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/processors/template.rs
import { TokenizerFileError } from '../errors.js';
import { Encoding } from '../pipeline/encoding.js';

export type TemplatePiece =
  | { Sequence: { id: 'A' | 'B'; type_id: number } }
  | { SpecialToken: { id: string; type_id: number } };

export interface SpecialTokenEntry {
  id: string;
  ids: number[];
  tokens: string[];
}

export class TemplateProcessing {
  private singlePlan: Array<{ seq: number; ids: number[]; tokens: string[]; typeId: number }> | undefined;
  private pairPlan: Array<{ seq: number; ids: number[]; tokens: string[]; typeId: number }> | undefined;
  /** `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]` (B with type id 1): the template ALBERT and BERT both use. */
  static clsSep(cls: string, sep: string, idOf: (token: string) => number): TemplateProcessing {
    const entry = (t: string) => ({ id: t, ids: [idOf(t)], tokens: [t] });
    return new TemplateProcessing(
      [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
      ],
      [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: sep, type_id: 1 } },
      ],
      { [cls]: entry(cls), [sep]: entry(sep) },
    );
  }

  constructor(
    readonly single: TemplatePiece[],
    readonly pair: TemplatePiece[],
    readonly specialTokens: Record<string, SpecialTokenEntry>,
  ) {
    for (const p of [...single, ...pair])
      if ('SpecialToken' in p && !specialTokens[p.SpecialToken.id])
        throw new TokenizerFileError(
          `TemplateProcessing uses special token ${JSON.stringify(p.SpecialToken.id)} it does not define`,
        );
  }

  /** Number of special tokens the template adds. */
  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const p of isPair ? this.pair : this.single)
      if ('SpecialToken' in p) n += this.specialTokens[p.SpecialToken.id]!.ids.length;
    return n;
  }

  process(encoding: Encoding, pair: Encoding | undefined, addSpecialTokens: boolean): Encoding {
    const encodings = pair ? [encoding, pair] : [encoding];
    if (addSpecialTokens && encoding.overflowing.length === 0 && (pair === undefined || pair.overflowing.length === 0))
      return this.concat(encodings, pair !== undefined);
    encodings.forEach((e, i) => {
      e.sequenceIds = e.ids.map(() => i);
      for (const o of e.overflowing) o.sequenceIds = o.ids.map(() => i);
      e.typeIds = e.ids.map(() => i);
    });
    if (!addSpecialTokens) return Encoding.merge(encodings);
    const parts: Encoding[] = [];
    for (const piece of pair ? this.pair : this.single) {
      if ('Sequence' in piece) {
        const e = encodings[piece.Sequence.id === 'A' ? 0 : 1]!;
        e.typeIds = e.ids.map(() => piece.Sequence.type_id);
        parts.push(e.clone());
      } else parts.push(this.specialEncoding(piece.SpecialToken.id, piece.SpecialToken.type_id));
    }
    return Encoding.merge(parts);
  }

  private specialEncoding(id: string, typeId: number): Encoding {
    const tok = this.specialTokens[id]!;
    const e = new Encoding();
    for (let i = 0; i < tok.ids.length; i++) e.push(tok.ids[i]!, tok.tokens[i]!, 0, 0, typeId, 1, null);
    return e;
  }

  /** The template as segments: an input sequence (0 = A, 1 = B) or special ids, each with its type id. */
  private plan(isPair: boolean): Array<{ seq: number; ids: number[]; tokens: string[]; typeId: number }> {
    const cached = isPair ? this.pairPlan : this.singlePlan;
    if (cached) return cached;
    const plan = (isPair ? this.pair : this.single).map((piece) =>
      'Sequence' in piece
        ? { seq: piece.Sequence.id === 'A' ? 0 : 1, ids: [], tokens: [], typeId: piece.Sequence.type_id }
        : {
            seq: -1,
            ids: this.specialTokens[piece.SpecialToken.id]!.ids,
            tokens: this.specialTokens[piece.SpecialToken.id]!.tokens,
            typeId: piece.SpecialToken.type_id,
          },
    );
    if (isPair) this.pairPlan = plan;
    else this.singlePlan = plan;
    return plan;
  }

  /**
   * The template applied without overflowing windows: the ids in one pass, the other fields built when read (a long
   * text's encoding then costs its ids, not eight arrays of its length).
   */
  private concat(encodings: Encoding[], isPair: boolean): Encoding {
    const plan = this.plan(isPair);
    const lengths = plan.map((seg) => (seg.seq >= 0 ? encodings[seg.seq]!.length : seg.ids.length));
    const n = lengths.reduce((a, b) => a + b, 0);
    const ids = new Array<number>(n);
    let k = 0;
    for (const seg of plan) {
      const src = seg.seq >= 0 ? encodings[seg.seq]!.ids : seg.ids;
      for (let i = 0; i < src.length; i++) ids[k++] = src[i]!;
    }
    /** One field over the plan: from each sequence's field, or `special(seg)` for the special tokens. */
    const build =
      <T>(
        ofSeq: (e: Encoding, seg: (typeof plan)[number]) => ArrayLike<T> | T,
        special: (seg: (typeof plan)[number], i: number) => T,
      ) =>
      (): T[] => {
        const out = new Array<T>(n);
        let j = 0;
        plan.forEach((seg, p) => {
          if (seg.seq >= 0) {
            const v = ofSeq(encodings[seg.seq]!, seg);
            if (Array.isArray(v)) for (let i = 0; i < lengths[p]!; i++) out[j++] = v[i] as T;
            else for (let i = 0; i < lengths[p]!; i++) out[j++] = v as T;
          } else for (let i = 0; i < lengths[p]!; i++) out[j++] = special(seg, i);
        });
        return out;
      };
    return Encoding.lazy(ids, {
      tokens: build<string>(
        (e) => e.tokens,
        (seg, i) => seg.tokens[i]!,
      ),
      offsetStarts: build<number>(
        (e) => e.offsetStarts,
        () => 0,
      ),
      offsetEnds: build<number>(
        (e) => e.offsetEnds,
        () => 0,
      ),
      typeIds: build<number>(
        (_e, seg) => seg.typeId,
        (seg) => seg.typeId,
      ),
      specialTokensMask: build<number>(
        (e) => e.specialTokensMask,
        () => 1,
      ),
      attentionMask: build<number>(
        () => 1,
        () => 1,
      ),
      sequenceIds: build<number | null>(
        (_e, seg) => seg.seq,
        () => null,
      ),
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'TemplateProcessing', single: this.single, pair: this.pair, special_tokens: this.specialTokens };
  }
}
