// Tokenizer parity: every `<fixtures>/tokenizers/*/cases.json` through @albertjs/tokenizer's public API,
// each mode against the reference it reproduces (fixtures README → tokenizers/):
//   sentencepiece (spiece.model)            ↔ `slow_tokens` / `slow_ids`
//   tokenizer.json                          ↔ `tokenizers` (ids, tokens, type_ids, offsets, masks)
//   tokenizer.transformers-v5.json          ↔ `hf` (singles, pairs, truncation, padded batches, overflow windows)
import { listTokenizers, type TokenizerFixture } from '@albertjs/parity-tests';
import { importOptional, isNotInstalled } from '../backends.js';
import { openTokenizerModes, type TokenizerApi, type TokenizerModes } from './tokenizer-adapter.js';

export interface TokenizerCheckResult {
  /** `tokenizer <name> <mode>` */
  id: string;
  tokenizer: string;
  mode: 'slow' | 'tokenizers' | 'hf';
  compared: number;
  mismatched: number;
  pass: boolean;
  /** The first mismatch: which string, which field, got vs expected. */
  firstMismatch?: string;
  error?: string;
}

type Json = Record<string, unknown>;

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

class Tally {
  compared = 0;
  mismatched = 0;
  first: string | undefined;
  check(where: string, field: string, got: unknown, want: unknown): void {
    this.compared++;
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    this.mismatched++;
    this.first ??= `${where} ${field}: got ${show(got)}, expected ${show(want)}`;
  }
  fail(where: string, e: unknown): void {
    this.compared++;
    this.mismatched++;
    this.first ??= `${where}: ${(e as Error).message}`;
  }
}

function result(t: TokenizerFixture, mode: TokenizerCheckResult['mode'], tally: Tally): TokenizerCheckResult {
  return {
    id: `tokenizer ${t.name} ${mode}`,
    tokenizer: t.name,
    mode,
    compared: tally.compared,
    mismatched: tally.mismatched,
    pass: tally.mismatched === 0 && tally.compared > 0,
    ...(tally.first ? { firstMismatch: tally.first } : {}),
  };
}

/** A tokenizer folder that could not be checked at all (package missing, files unreadable). */
function unavailable(t: TokenizerFixture, error: string): TokenizerCheckResult {
  return { id: `tokenizer ${t.name}`, tokenizer: t.name, mode: 'slow', compared: 0, mismatched: 0, pass: false, error };
}

const label = (i: number, text: unknown) => `#${i} ${show(text)}`;

/** Sentencepiece mode against `slow_tokens` / `slow_ids`. */
function checkSlow(modes: TokenizerModes, cases: Json): Tally {
  const t = new Tally();
  (cases.singles as Json[]).forEach((s, i) => {
    if (!('slow_tokens' in s)) return;
    try {
      t.check(label(i, s.text), 'slow_tokens', modes.slow.tokenize(s.text as string), s.slow_tokens);
      t.check(label(i, s.text), 'slow_ids', modes.slow.ids(s.text as string), s.slow_ids);
    } catch (e) {
      t.fail(label(i, s.text), e);
    }
  });
  return t;
}

/** tokenizer.json against the `tokenizers` library's encodings of singles and pairs. */
function checkTokenizers(modes: TokenizerModes, cases: Json): Tally {
  const t = new Tally();
  const items = [
    ...(cases.singles as Json[]).map((s) => ({ s, pair: undefined as string | undefined })),
    ...(cases.pairs as Json[]).map((s) => ({ s, pair: s.text_pair as string })),
  ];
  items.forEach(({ s, pair }, i) => {
    const ref = s.tokenizers as Json | undefined;
    if (!ref) return;
    const where = label(i, pair === undefined ? s.text : [s.text, pair]);
    try {
      const e = modes.fast.encode(s.text as string, pair);
      for (const k of ['ids', 'tokens', 'type_ids', 'offsets', 'special_tokens_mask', 'attention_mask'] as const)
        t.check(where, k, e[k], ref[k]);
    } catch (err) {
      t.fail(where, err);
    }
  });
  return t;
}

/** tokenizer.transformers-v5.json against transformers 5's AlbertTokenizer outputs. */
function checkHf(modes: TokenizerModes, cases: Json): Tally {
  const t = new Tally();
  const hf = modes.hf;
  (cases.singles as Json[]).forEach((s, i) => {
    const ref = s.hf as Json | undefined;
    if (!ref) return;
    const where = label(i, s.text);
    try {
      const e = hf.call(s.text as string);
      t.check(where, 'input_ids', e.input_ids, ref.input_ids);
      t.check(where, 'attention_mask', e.attention_mask, ref.attention_mask);
      t.check(where, 'special_tokens_mask', e.special_tokens_mask, ref.special_tokens_mask);
      t.check(where, 'offset_mapping', e.offset_mapping, ref.offset_mapping);
      t.check(where, 'tokens', e.tokens, ref.tokens);
      t.check(where, 'decoded', hf.decode(e.input_ids), ref.decoded);
    } catch (err) {
      t.fail(where, err);
    }
  });
  (cases.pairs as Json[]).forEach((s, i) => {
    const ref = s.hf as Json | undefined;
    if (!ref) return;
    const where = label(i, [s.text, s.text_pair]);
    try {
      const e = hf.call(s.text as string, s.text_pair as string);
      t.check(where, 'input_ids', e.input_ids, ref.input_ids);
      t.check(where, 'attention_mask', e.attention_mask, ref.attention_mask);
      t.check(where, 'special_tokens_mask', e.special_tokens_mask, ref.special_tokens_mask);
      for (const strategy of ['longest_first', 'only_first', 'only_second'] as const) {
        const r = ref[`trunc_${strategy}`] as Json | undefined;
        if (!r) continue;
        if ('error' in r) {
          // transformers refuses this truncation (the sequence to cut is too short): so must we.
          let threw = false;
          try {
            hf.call(s.text as string, s.text_pair as string, { truncation: strategy, max_length: 24 });
          } catch {
            threw = true;
          }
          t.check(where, `trunc_${strategy} raises`, threw, true);
          continue;
        }
        const tr = hf.call(s.text as string, s.text_pair as string, { truncation: strategy, max_length: 24 });
        t.check(where, `trunc_${strategy}.input_ids`, tr.input_ids, r.input_ids);
        t.check(where, `trunc_${strategy}.attention_mask`, tr.attention_mask, r.attention_mask);
      }
    } catch (err) {
      t.fail(where, err);
    }
  });
  (cases.batches as Json[]).forEach((b, i) => {
    const texts = b.texts as string[];
    try {
      const longest = b.longest as Json;
      const l = hf.batch(texts, { padding: 'longest' });
      t.check(`batch ${i}`, 'longest.input_ids', l.input_ids, longest.input_ids);
      t.check(`batch ${i}`, 'longest.attention_mask', l.attention_mask, longest.attention_mask);
      const m = b.max_length_32_trunc as Json;
      const ml = hf.batch(texts, { padding: 'max_length', truncation: true, max_length: 32 });
      t.check(`batch ${i}`, 'max_length_32_trunc.input_ids', ml.input_ids, m.input_ids);
      t.check(`batch ${i}`, 'max_length_32_trunc.attention_mask', ml.attention_mask, m.attention_mask);
      const o = b.overflow as Json;
      const ov = hf.overflow(o.question as string, o.context as string, { max_length: 40, stride: 8 });
      for (const k of ['input_ids', 'attention_mask', 'offset_mapping', 'overflow_to_sample_mapping'] as const)
        t.check(`batch ${i} overflow`, k, ov[k], o[k]);
    } catch (err) {
      t.fail(`batch ${i}`, err);
    }
  });
  return t;
}

/** Runs every tokenizer folder with a cases.json in the fixtures folder `dir`. */
export async function runTokenizerChecks(dir: string): Promise<TokenizerCheckResult[]> {
  const fixtures = listTokenizers(dir).filter((t) => t.cases !== undefined);
  if (fixtures.length === 0) return [];
  let api: TokenizerApi;
  try {
    api = await importOptional<TokenizerApi>('@albertjs/tokenizer');
  } catch (e) {
    const why = isNotInstalled(e, '@albertjs/tokenizer')
      ? 'not installed (@albertjs/tokenizer)'
      : `unavailable: ${(e as Error).message}`;
    return fixtures.map((t) => unavailable(t, why));
  }
  const out: TokenizerCheckResult[] = [];
  for (const t of fixtures) {
    let modes: TokenizerModes;
    try {
      modes = await openTokenizerModes(api, t.dir);
    } catch (e) {
      out.push(unavailable(t, (e as Error).message));
      continue;
    }
    const cases = t.cases as Json;
    out.push(result(t, 'slow', checkSlow(modes, cases)));
    out.push(result(t, 'tokenizers', checkTokenizers(modes, cases)));
    out.push(result(t, 'hf', checkHf(modes, cases)));
  }
  return out;
}
