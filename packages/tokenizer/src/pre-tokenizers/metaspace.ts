// https://github.com/huggingface/tokenizers/blob/main/tokenizers/src/pre_tokenizers/metaspace.rs
import type { PreTokenizedString, Split } from '../pipeline/pre-tokenized-string.js';
import type { PreTokenizer } from './pre-tokenizer.js';

export type PrependScheme = 'always' | 'first' | 'never';

export class MetaspacePreTokenizer implements PreTokenizer {
  private readonly replacementCp: number;
  constructor(
    readonly replacement: string,
    readonly prependScheme: PrependScheme,
    readonly splitWords: boolean,
  ) {
    this.replacementCp = replacement.codePointAt(0)!;
  }

  preTokenize(pts: PreTokenizedString): void {
    const rep = this.replacementCp;
    pts.split((_i, ns) => {
      ns.mapCodePoints((cp) => (cp === 32 ? rep : -1));
      const startsWith = ns.cps[0] === rep;
      if (this.prependScheme === 'always' && !startsWith) ns.prepend(this.replacement);
      else if (this.prependScheme === 'first' && !startsWith && ns.originalStart === 0) ns.prepend(this.replacement);
      if (!this.splitWords) return [ns];
      const r = ns.splitRanges((cp) => cp === rep, 'mergedWithNext');
      const out: Split[] = [];
      for (let i = 0; i < r.length; i += 2) out.push({ normalized: ns, start: r[i]!, end: r[i + 1]! });
      return out;
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'Metaspace',
      replacement: this.replacement,
      prepend_scheme: this.prependScheme,
      split: this.splitWords,
    };
  }
}
