// tokenizers' TemplateProcessing post-processor ("[CLS] $A [SEP]" / "[CLS] $A [SEP] $B:1 [SEP]:1").
// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/processors/template.rs
import { TokenizerFileError } from '../errors.js';
import { Encoding } from '../pipeline/encoding.js';

export type TemplatePiece = { Sequence: { id: 'A' | 'B'; type_id: number } } | { SpecialToken: { id: string; type_id: number } };

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
        throw new TokenizerFileError(`TemplateProcessing uses special token ${JSON.stringify(p.SpecialToken.id)} it does not define`);
  }

  /** Number of special tokens the template adds. */
  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const p of isPair ? this.pair : this.single) if ('SpecialToken' in p) n += this.specialTokens[p.SpecialToken.id]!.ids.length;
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
      } else {
        const tok = this.specialTokens[piece.SpecialToken.id]!;
        const n = tok.ids.length;
        parts.push(
          new Encoding(
            [...tok.ids],
            new Array(n).fill(piece.SpecialToken.type_id),
            [...tok.tokens],
            Array.from({ length: n }, () => [0, 0]),
            new Array(n).fill(1),
            new Array(n).fill(1),
            [],
            new Array(n).fill(null),
          ),
        );
      }
    }
    return Encoding.merge(parts);
  }

  /** The template applied without overflowing windows: one pass, no intermediate encodings. */
  private concat(encodings: Encoding[], isPair: boolean): Encoding {
    const out = new Encoding();
    for (const piece of isPair ? this.pair : this.single) {
      if ('Sequence' in piece) {
        const e = encodings[piece.Sequence.id === 'A' ? 0 : 1]!;
        const typeId = piece.Sequence.type_id;
        for (let i = 0; i < e.ids.length; i++) {
          out.ids.push(e.ids[i]!);
          out.typeIds.push(typeId);
          out.tokens.push(e.tokens[i]!);
          out.offsets.push(e.offsets[i]!);
          out.specialTokensMask.push(e.specialTokensMask[i]!);
          out.attentionMask.push(e.attentionMask[i]!);
          out.sequenceIds.push(e.sequenceIds[i]!);
        }
      } else {
        const tok = this.specialTokens[piece.SpecialToken.id]!;
        for (let i = 0; i < tok.ids.length; i++) {
          out.ids.push(tok.ids[i]!);
          out.typeIds.push(piece.SpecialToken.type_id);
          out.tokens.push(tok.tokens[i]!);
          out.offsets.push([0, 0]);
          out.specialTokensMask.push(1);
          out.attentionMask.push(1);
          out.sequenceIds.push(null);
        }
      }
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'TemplateProcessing', single: this.single, pair: this.pair, special_tokens: this.specialTokens };
  }
}
