// Maps @albertjs/tokenizer's public API onto the three reference modes the fixtures record.
export interface FastEncoding {
  ids: number[];
  tokens: string[];
  type_ids: number[];
  offsets: [number, number][];
  special_tokens_mask: number[];
  attention_mask: number[];
}
export interface HfEncoding {
  input_ids: number[];
  attention_mask: number[];
  special_tokens_mask: number[];
  offset_mapping: [number, number][];
  tokens: string[];
}
export interface HfBatch {
  input_ids: number[][];
  attention_mask: number[][];
}
export interface HfOverflow extends HfBatch {
  offset_mapping: [number, number][][];
  overflow_to_sample_mapping: number[];
}
export interface TokenizerModes {
  slow: { tokenize(text: string): string[]; ids(text: string): number[] };
  fast: { encode(text: string, pair?: string): FastEncoding; decode(ids: number[]): string };
  hf: {
    call(
      text: string,
      pair?: string,
      opts?: { truncation: 'longest_first' | 'only_first' | 'only_second'; max_length: number },
    ): HfEncoding;
    decode(ids: number[]): string;
    batch(
      texts: string[],
      opts: { padding: 'longest' | 'max_length'; truncation?: boolean; max_length?: number },
    ): HfBatch;
    overflow(question: string, context: string, opts: { max_length: number; stride: number }): HfOverflow;
  };
}
export type TokenizerApi = typeof import('@albertjs/tokenizer');

async function readText(dir: string, name: string): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

const rows = <T>(v: unknown): T[][] => v as T[][];
const row = <T>(v: unknown): T[] => v as T[];

/**
 * The three modes over one tokenizer folder: `AlbertTokenizer` on spiece.model (sentencepiece mode,
 * special tokens not split out), the `tokenizer.json` pipeline as the `tokenizers` library runs it
 * (TokenizerPipeline encode + post-process), and `AlbertTokenizerFast` on tokenizer.transformers-v5.json
 * called as transformers 5's `tokenizer(...)`.
 */
export async function openTokenizerModes(api: TokenizerApi, dir: string): Promise<TokenizerModes> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const cfgText = await readText(dir, 'tokenizer_config.json');
  const mapText = await readText(dir, 'special_tokens_map.json');
  const cfg = api.parseTokenizerConfig(cfgText, mapText);
  const spiece = new Uint8Array(await readFile(join(dir, 'spiece.model')));
  const slow = api.AlbertTokenizer.fromSentencePiece(spiece, {
    ...(cfg.doLowerCase !== undefined ? { doLowerCase: cfg.doLowerCase } : {}),
    ...(cfg.keepAccents !== undefined ? { keepAccents: cfg.keepAccents } : {}),
    ...(cfg.removeSpace !== undefined ? { removeSpace: cfg.removeSpace } : {}),
    specialTokens: cfg.specialTokens,
  });
  const tokJson = await readText(dir, 'tokenizer.json');
  if (tokJson === undefined) throw new Error(`${dir} has no tokenizer.json`);
  // The file's added tokens as written (the `tokenizers` library alone), not transformers' lstrip [MASK].
  const fast = api.AlbertTokenizerFast.fromTokenizerJson(tokJson, { maskTokenLstrip: false });
  const v5 = await readText(dir, 'tokenizer.transformers-v5.json');
  if (v5 === undefined) throw new Error(`${dir} has no tokenizer.transformers-v5.json`);
  // The pipeline transformers 5 ran, as saved (its added tokens as written).
  const hf = api.AlbertTokenizerFast.fromFiles(
    {
      'tokenizer.json': v5,
      ...(cfgText !== undefined ? { 'tokenizer_config.json': cfgText } : {}),
      ...(mapText !== undefined ? { 'special_tokens_map.json': mapText } : {}),
    },
    { maskTokenLstrip: false },
  );
  return {
    slow: {
      tokenize: (text) => slow.tokenize(text, { splitSpecialTokens: true }),
      ids: (text) => slow.convertTokensToIds(slow.tokenize(text, { splitSpecialTokens: true })),
    },
    fast: {
      encode(text, pair) {
        const a = fast.pipeline.encodeSequence(text, 0);
        const b = pair === undefined ? undefined : fast.pipeline.encodeSequence(pair, 1);
        const e = fast.pipeline.postProcess(a, b, true);
        return {
          ids: e.ids,
          tokens: e.tokens,
          type_ids: e.typeIds,
          offsets: e.offsets,
          special_tokens_mask: e.specialTokensMask,
          attention_mask: e.attentionMask,
        };
      },
      decode: (ids) => fast.pipeline.decode(ids, true),
    },
    hf: {
      call(text, pair, opts) {
        const r = hf.call(text, {
          ...(pair !== undefined ? { textPair: pair } : {}),
          // The references come from tokenizers 0.23.2, which stops early when truncating (tokenizers#2091).
          ...(opts ? { truncation: opts.truncation, maxLength: opts.max_length, truncateEarly: true } : {}),
          returnOffsetsMapping: true,
          returnSpecialTokensMask: true,
        });
        const ids = row<number>(r.input_ids);
        return {
          input_ids: ids,
          attention_mask: row<number>(r.attention_mask),
          special_tokens_mask: row<number>(r.special_tokens_mask),
          offset_mapping: (r.offset_mapping ?? []) as [number, number][],
          // transformers' convert_ids_to_tokens(input_ids): unknown pieces read back as <unk>
          tokens: hf.convertIdsToTokens(ids),
        };
      },
      decode: (ids) => hf.decode(ids, { skipSpecialTokens: true }),
      batch(texts, opts) {
        const r = hf.call(texts, {
          padding: opts.padding,
          ...(opts.truncation ? { truncation: true, truncateEarly: true } : {}),
          ...(opts.max_length ? { maxLength: opts.max_length } : {}),
        });
        return { input_ids: rows<number>(r.input_ids), attention_mask: rows<number>(r.attention_mask) };
      },
      overflow(question, context, opts) {
        const r = hf.call(question, {
          textPair: context,
          truncation: 'only_second',
          padding: 'max_length',
          maxLength: opts.max_length,
          stride: opts.stride,
          returnOverflowingTokens: true,
          returnOffsetsMapping: true,
          truncateEarly: true,
        });
        return {
          input_ids: rows<number>(r.input_ids),
          attention_mask: rows<number>(r.attention_mask),
          offset_mapping: (r.offset_mapping ?? []) as [number, number][][],
          overflow_to_sample_mapping: r.overflow_to_sample_mapping ?? [],
        };
      },
    },
  };
}
