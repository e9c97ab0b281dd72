// Shared by the tokenizer-*.test.ts files: the cases.json format of fixtures/hf/tokenizers/* (README → tokenizers/)
// and a field-by-field tally that reports the agreement numbers per folder and reference.
import { listTokenizers, readTokenizerFile, type TokenizerFixture } from '../src/fixtures.js';

export interface FastRef {
  ids: number[];
  tokens: string[];
  type_ids: number[];
  offsets: Array<[number, number]>;
  special_tokens_mask: number[];
  attention_mask: number[];
}
export interface HfRef {
  input_ids: number[];
  attention_mask: number[];
  special_tokens_mask: number[];
  offset_mapping: Array<[number, number]>;
  tokens: string[];
  decoded: string;
}
export type TruncRef = { input_ids: number[]; attention_mask: number[] } | { error: string };
export interface SingleCase {
  text: string;
  slow_tokens: string[];
  slow_ids: number[];
  tokenizers: FastRef;
  tokenizers_decoded: string;
  hf: HfRef;
}
export interface PairCase {
  text: string;
  text_pair: string;
  tokenizers: FastRef;
  hf: {
    input_ids: number[];
    attention_mask: number[];
    special_tokens_mask: number[];
    trunc_longest_first: TruncRef;
    trunc_only_first: TruncRef;
    trunc_only_second: TruncRef;
  };
}
export interface BatchCase {
  texts: string[];
  longest: { input_ids: number[][]; attention_mask: number[][] };
  max_length_32_trunc: { input_ids: number[][]; attention_mask: number[][] };
  overflow: {
    question: string;
    context: string;
    input_ids: number[][];
    attention_mask: number[][];
    offset_mapping: Array<Array<[number, number]>>;
    overflow_to_sample_mapping: number[];
  };
}
export interface TokenizerCases {
  name: string;
  options: { do_lower_case: boolean; keep_accents: boolean };
  singles: SingleCase[];
  pairs: PairCase[];
  batches: BatchCase[];
}

export interface CaseFolder {
  fx: TokenizerFixture;
  cases: TokenizerCases;
  file(name: string): Uint8Array;
  text(name: string): string;
}

/** Every tokenizer fixture folder that has a cases.json. */
export function caseFolders(): CaseFolder[] {
  return listTokenizers()
    .filter((fx) => fx.cases !== undefined)
    .map((fx) => ({
      fx,
      cases: fx.cases as TokenizerCases,
      file: (name: string) => new Uint8Array(readTokenizerFile(fx, name)),
      text: (name: string) => readTokenizerFile(fx, name).toString('utf8'),
    }));
}

/** Counts agreeing cases; a case agrees when every compared field is identical. */
export class Tally {
  cases = 0;
  agree = 0;
  readonly failures: string[] = [];
  constructor(
    readonly folder: string,
    readonly reference: string,
  ) {}

  /** Compares the fields of one case (got[k] vs want[k]); exceptions count as disagreement. */
  check(where: string, fields: () => Array<[string, unknown, unknown]>): void {
    this.cases++;
    try {
      const bad = fields().filter(([, got, want]) => JSON.stringify(got) !== JSON.stringify(want));
      if (bad.length === 0) this.agree++;
      else
        this.failures.push(
          `${where}: ${bad.map(([k, g, w]) => `${k} got ${JSON.stringify(g).slice(0, 200)} want ${JSON.stringify(w).slice(0, 200)}`).join('; ')}`,
        );
    } catch (e) {
      this.failures.push(`${where}: threw ${(e as Error).message}`);
    }
  }

  summary(): string {
    return `${this.folder} ↔ ${this.reference}: ${this.agree}/${this.cases} cases agree`;
  }
}
