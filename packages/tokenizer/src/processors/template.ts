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
    encodings.forEach((e, i) => {
      e.sequenceIds = e.ids.map(() => i);
      for (const o of e.overflowing) o.sequenceIds = o.ids.map(() => i);
      e.typeIds = e.ids.map(() => i);
    });
    if (!addSpecialTokens) return Encoding.merge(encodings);
    if (encodings.every((e) => e.overflowing.length === 0)) return this.concat(encodings, pair !== undefined);
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

  /** The template applied without overflowing windows: one pass into arrays of the final size. */
  private concat(encodings: Encoding[], isPair: boolean): Encoding {
    const template = isPair ? this.pair : this.single;
    let total = 0;
    for (const piece of template)
      total +=
        'Sequence' in piece
          ? encodings[piece.Sequence.id === 'A' ? 0 : 1]!.length
          : this.specialTokens[piece.SpecialToken.id]!.ids.length;
    const out = new Encoding();
    const ids = new Array<number>(total);
    const tokens = new Array<string>(total);
    const starts = new Array<number>(total);
    const ends = new Array<number>(total);
    const typeIds = new Array<number>(total);
    const special = new Array<number>(total);
    const seq = new Array<number | null>(total);
    let k = 0;
    for (const piece of template) {
      if ('Sequence' in piece) {
        const e = encodings[piece.Sequence.id === 'A' ? 0 : 1]!;
        const typeId = piece.Sequence.type_id;
        for (let i = 0; i < e.ids.length; i++, k++) {
          ids[k] = e.ids[i]!;
          tokens[k] = e.tokens[i]!;
          starts[k] = e.offsetStarts[i]!;
          ends[k] = e.offsetEnds[i]!;
          typeIds[k] = typeId;
          special[k] = e.specialTokensMask[i]!;
          seq[k] = e.sequenceIds[i]!;
        }
      } else {
        const tok = this.specialTokens[piece.SpecialToken.id]!;
        for (let i = 0; i < tok.ids.length; i++, k++) {
          ids[k] = tok.ids[i]!;
          tokens[k] = tok.tokens[i]!;
          starts[k] = 0;
          ends[k] = 0;
          typeIds[k] = piece.SpecialToken.type_id;
          special[k] = 1;
          seq[k] = null;
        }
      }
    }
    out.ids = ids;
    out.tokens = tokens;
    out.offsetStarts = starts;
    out.offsetEnds = ends;
    out.typeIds = typeIds;
    out.specialTokensMask = special;
    out.attentionMask = new Array<number>(total).fill(1);
    out.sequenceIds = seq;
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'TemplateProcessing', single: this.single, pair: this.pair, special_tokens: this.specialTokens };
  }
}
