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

  /** The template applied without overflowing windows: arrays joined with native concat/fill. */
  private concat(encodings: Encoding[], isPair: boolean): Encoding {
    const ids: number[][] = [];
    const tokens: string[][] = [];
    const starts: number[][] = [];
    const ends: number[][] = [];
    const typeIds: number[][] = [];
    const special: number[][] = [];
    const seq: Array<Array<number | null>> = [];
    for (const piece of isPair ? this.pair : this.single) {
      if ('Sequence' in piece) {
        const e = encodings[piece.Sequence.id === 'A' ? 0 : 1]!;
        ids.push(e.ids);
        tokens.push(e.tokens);
        starts.push(e.offsetStarts);
        ends.push(e.offsetEnds);
        typeIds.push(new Array<number>(e.length).fill(piece.Sequence.type_id));
        special.push(e.specialTokensMask);
        seq.push(e.sequenceIds);
      } else {
        const tok = this.specialTokens[piece.SpecialToken.id]!;
        const n = tok.ids.length;
        ids.push(tok.ids);
        tokens.push(tok.tokens);
        starts.push(new Array<number>(n).fill(0));
        ends.push(new Array<number>(n).fill(0));
        typeIds.push(new Array<number>(n).fill(piece.SpecialToken.type_id));
        special.push(new Array<number>(n).fill(1));
        seq.push(new Array<number | null>(n).fill(null));
      }
    }
    const out = new Encoding();
    out.ids = ([] as number[]).concat(...ids);
    out.tokens = ([] as string[]).concat(...tokens);
    out.offsetStarts = ([] as number[]).concat(...starts);
    out.offsetEnds = ([] as number[]).concat(...ends);
    out.typeIds = ([] as number[]).concat(...typeIds);
    out.specialTokensMask = ([] as number[]).concat(...special);
    out.attentionMask = new Array<number>(out.ids.length).fill(1);
    out.sequenceIds = ([] as Array<number | null>).concat(...seq);
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'TemplateProcessing', single: this.single, pair: this.pair, special_tokens: this.specialTokens };
  }
}
