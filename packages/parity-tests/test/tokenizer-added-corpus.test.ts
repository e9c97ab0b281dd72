// Added tokens on real text, each tokenizer against its own reference (the `▁` pieces around an added token differ
// between the two, as they differ between transformers' slow and fast ALBERT tokenizers):
// - AlbertTokenizerFast against HF tokenizers in Rust (npm `tokenizers`) with the same tokens added through its API
//   (addAddedTokens: single_word, lstrip, rstrip, normalized, special): ids and offsets;
// - AlbertTokenizer against transformers 4.x's slow path written out below (PreTrainedTokenizer.tokenize: the
//   do_lower_case pass that spares special and normalized added tokens, tokens_trie.split, AddedToken
//   lstrip / rstrip / single_word on the neighbours, then AlbertTokenizer._tokenize per remaining piece: preprocess_text
//   and sentencepiece itself (@sctg/sentencepiece-js, the C++ library in wasm) with the digit-comma re-split).
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/tokenization_utils.py (tokenize, Trie.split)
// Corpus lines (fixtures/corpus) as they are, and with added tokens inserted at seeded positions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AddedTokenInit, AlbertTokenizer, AlbertTokenizerFast, parseTokenizerConfig } from '@albertjs/tokenizer';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { AddedToken, Tokenizer } from 'tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, corpusTokenizers } from '../src/fixtures.js';
import { referencePieces } from './slow-reference.js';

const ADDED: AddedTokenInit[] = [
  { content: 'albertjs' },
  { content: 'install' }, // a frequent word of the npm READMEs
  { content: 'Node' }, // normalized: the fast tokenizer matches the lower-cased text; the slow one spares it from do_lower_case
  { content: '<ent>', lstrip: true, rstrip: true },
  { content: 'ing', single_word: true },
  { content: 'data', single_word: true, lstrip: true },
];
const SPECIAL = ['[E1]'];
const INSERT = ['albertjs', ' albertjs ', '<ent>', '  <ent>  ', '[E1]', ' [E1] ', 'ing', ' ing ', 'Node', 'ALBERTJS'];

/** Corpus lines: every 3rd line as it is, and with 1–3 added tokens inserted at seeded positions. */
function sampleLines(): string[] {
  const lines = corpusFiles()
    .flatMap((f) => f.lines)
    .filter((_, i) => i % 3 === 0);
  let s = 12345;
  const rand = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    let l = line;
    for (let k = rand(3); k >= 0; k--) {
      let at = rand(l.length + 1);
      if (/[\udc00-\udfff]/.test(l[at] ?? '')) at++; // never between the halves of a surrogate pair
      l = l.slice(0, at) + INSERT[rand(INSERT.length)]! + l.slice(at);
    }
    out.push(l);
  }
  return out;
}

const dir = corpusTokenizers().find((t) => t.name === 'models/default')!.dir;
const lines = sampleLines();

function report(name: string, diffs: string[]): string {
  return `${name}: ${diffs.length} of ${lines.length} lines differ; first ones:\n${diffs.slice(0, 5).join('\n')}`;
}

/** Python's str.isspace() characters (what str.strip() removes). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** transformers' Trie.split: leftmost-longest matches of `tokens` cut the text (no empty pieces). */
function trieSplit(text: string, tokens: readonly string[]): string[] {
  const out: string[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    let best = '';
    for (const t of tokens) if (t.length > best.length && text.startsWith(t, i)) best = t;
    if (!best) {
      i++;
      continue;
    }
    if (last < i) out.push(text.slice(last, i));
    out.push(best);
    i += best.length;
    last = i;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

interface RefToken {
  content: string;
  special: boolean;
  normalized: boolean;
  lstrip: boolean;
  rstrip: boolean;
  single_word: boolean;
}

/** transformers 4.x PreTrainedTokenizer.tokenize for AlbertTokenizer (do_lower_case, keep_accents false). */
function slowReference(
  text: string,
  added: ReadonlyMap<string, RefToken>,
  allSpecial: readonly string[],
  tokenize: (piece: string) => string[],
): string[] {
  // do_lower_case: special tokens and normalized non-special added tokens are kept as written, the rest lower-cased
  const spared = [
    ...allSpecial,
    ...[...added.values()].filter((t) => !t.special && t.normalized).map((t) => t.content),
  ].map(escapeRegExp);
  const pattern = new RegExp(`(${spared.join('|')})|(.+?)`, 'gu');
  const lowered = text.replace(pattern, (_m, keep: string | undefined, other: string | undefined) =>
    keep !== undefined ? keep : other!.toLowerCase(),
  );
  const tokens = trieSplit(lowered, [...added.keys()]);
  const lstrip = (s: string) => s.replace(new RegExp(`^[${PY_SPACE}]+`, 'u'), '');
  const rstrip = (s: string) => s.replace(new RegExp(`[${PY_SPACE}]+$`, 'u'), '');
  for (let i = 0; i < tokens.length; i++) {
    const t = added.get(tokens[i]!);
    if (!t) continue;
    const left = i > 0 ? tokens[i - 1] : undefined;
    const right = i < tokens.length - 1 ? tokens[i + 1] : undefined;
    if (t.rstrip && right) tokens[i + 1] = lstrip(right);
    if (t.lstrip && left) tokens[i - 1] = rstrip(left);
    if (t.single_word && left && left.at(-1) !== ' ') {
      tokens[i - 1] += tokens[i]!;
      tokens[i] = '';
    } else if (t.single_word && right && right[0] !== ' ') {
      tokens[i + 1] = tokens[i]! + tokens[i + 1];
      tokens[i] = '';
    }
  }
  return tokens.filter((t) => t.length > 0).flatMap((t) => (added.has(t) ? [t] : tokenize(t)));
}

describe('added tokens on the corpus (models/default)', () => {
  let sp: SentencePieceProcessor;
  beforeAll(async () => {
    sp = new SentencePieceProcessor();
    await sp.loadFromB64StringModel(readFileSync(join(dir, 'spiece.model')).toString('base64'));
  });

  it('covers every kind of added token many times', () => {
    for (const t of [...INSERT, 'install', 'ing'])
      expect(lines.filter((l) => l.includes(t.trim())).length, t).toBeGreaterThan(50);
  });

  it('AlbertTokenizerFast gives the ids and offsets of tokenizers (Rust) with the same tokens added', async () => {
    const json = readFileSync(join(dir, 'tokenizer.json'), 'utf8');
    const rust = Tokenizer.fromString(json);
    rust.addAddedTokens([new AddedToken('[MASK]', true, { leftStrip: true, rightStrip: false, normalized: false })]);
    rust.addAddedTokens(
      ADDED.map(
        (t) =>
          new AddedToken(t.content, false, {
            singleWord: t.single_word ?? false,
            leftStrip: t.lstrip ?? false,
            rightStrip: t.rstrip ?? false,
            normalized: t.normalized ?? true,
          }),
      ),
    );
    rust.addAddedTokens(SPECIAL.map((c) => new AddedToken(c, true, { normalized: false })));
    const fast = await AlbertTokenizerFast.fromPretrained(dir);
    fast.addTokens(ADDED);
    fast.addSpecialTokens({ additional_special_tokens: SPECIAL });
    const ref = await rust.encodeBatch(lines);
    const diffs: string[] = [];
    lines.forEach((line, i) => {
      const r = fast.call(line, { returnOffsetsMapping: true });
      const e = ref[i]!;
      if (
        JSON.stringify(r.input_ids) !== JSON.stringify(e.getIds()) ||
        JSON.stringify(r.offset_mapping) !== JSON.stringify(e.getOffsets())
      )
        diffs.push(
          `${JSON.stringify(line)}\n  albertjs ${fast.convertIdsToTokens(r.input_ids as number[]).join(' ')} ${JSON.stringify(r.offset_mapping)}\n  rust     ${e.getTokens().join(' ')} ${JSON.stringify(e.getOffsets())}`,
        );
    });
    expect(diffs.length, report('fast', diffs)).toBe(0);
  }, 120_000);

  it("AlbertTokenizer gives the tokens of transformers 4's slow path with the same tokens added", async () => {
    // sentencepiece '0.1': the tie-breaking of the wasm build the reference runs (tokenizer-corpus.test.ts)
    const cfg = parseTokenizerConfig(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    const slow = AlbertTokenizer.fromSentencePiece(readFileSync(join(dir, 'spiece.model')), {
      ...cfg,
      sentencepiece: '0.1',
    });
    slow.addTokens(ADDED);
    slow.addSpecialTokens({ additional_special_tokens: SPECIAL });
    const added = new Map<string, RefToken>();
    // AlbertTokenizer.__init__: the special tokens as AddedTokens (normalized=False), [MASK] with lstrip=True
    for (const c of ['[CLS]', '[SEP]', '<unk>', '<pad>', '[MASK]'])
      added.set(c, {
        content: c,
        special: true,
        normalized: false,
        lstrip: c === '[MASK]',
        rstrip: false,
        single_word: false,
      });
    for (const t of ADDED)
      added.set(t.content, {
        content: t.content,
        special: false,
        normalized: t.normalized ?? true,
        lstrip: t.lstrip ?? false,
        rstrip: t.rstrip ?? false,
        single_word: t.single_word ?? false,
      });
    for (const c of SPECIAL)
      added.set(c, { content: c, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false });
    const allSpecial = [...slow.allSpecialTokens];
    expect(allSpecial).toEqual(expect.arrayContaining(['[CLS]', '[SEP]', '[MASK]', '<unk>', '<pad>', '[E1]']));
    const diffs: string[] = [];
    for (const line of lines) {
      const want = slowReference(line, added, allSpecial, (piece) =>
        referencePieces(sp, slow.preprocessText(piece)),
      ).join(' ');
      const got = slow.tokenize(line).join(' ');
      if (got !== want) diffs.push(`${JSON.stringify(line)}\n  albertjs  ${got}\n  reference ${want}`);
    }
    expect(diffs.length, report('slow', diffs)).toBe(0);
  }, 120_000);
});
