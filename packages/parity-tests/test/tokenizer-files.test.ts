// Loading and saving tokenizer folders: bad files give errors that say what is wrong, savePretrained writes what
// transformers loads and reloads to the same tokenizer, tokenizer_config.json is honoured, vocab.txt folders get
// BERT's WordPiece tokenizer.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlbertTokenizer,
  AlbertTokenizerFast,
  AutoTokenizer,
  albertTokenizerJson,
  BertTokenizer,
  parseTokenizerConfig,
  SentencePieceProcessor,
  TokenizerFileError,
  TokenizerInputError,
  transformersV5Json,
} from '@albertjs/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { listTokenizers, readTokenizerFile } from '../src/fixtures.js';
import { caseFolders } from './tokenizer-cases.js';

const folder = caseFolders().find((f) => f.fx.name === 'spm-en-1000')!;
const tmp = mkdtempSync(join(tmpdir(), 'albertjs-tokenizer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A hand-made ModelProto: pieces as (piece, score, type). */
function modelProto(pieces: Array<[string, number, number]>): Uint8Array {
  const bytes: number[] = [];
  const varint = (out: number[], v: number) => {
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
  };
  for (const [piece, score, type] of pieces) {
    const inner: number[] = [];
    const p = new TextEncoder().encode(piece);
    inner.push(0x0a);
    varint(inner, p.length);
    inner.push(...p);
    inner.push(0x15, ...new Uint8Array(new Float32Array([score]).buffer));
    inner.push(0x18);
    varint(inner, type);
    bytes.push(0x0a);
    varint(bytes, inner.length);
    bytes.push(...inner);
  }
  return new Uint8Array(bytes);
}

describe('bad tokenizer files', () => {
  it('a truncated spiece.model', () => {
    const bytes = folder.file('spiece.model');
    expect(() => new SentencePieceProcessor(bytes.subarray(0, Math.floor(bytes.length / 2)))).toThrow(
      /spiece\.model is not a valid SentencePiece ModelProto \(\d+ bytes; truncated or corrupt\?\)/,
    );
    expect(() => AlbertTokenizer.fromSentencePiece(new Uint8Array(0))).toThrow(/holds no pieces \(0 bytes\)/);
  });

  it('a vocabulary without the unk piece', () => {
    const noUnk = modelProto([
      ['<pad>', 0, 3],
      ['\u2581a', -1, 1],
      ['b', -2, 1],
    ]);
    expect(() => new SentencePieceProcessor(noUnk)).toThrow(TokenizerFileError);
    expect(() => new SentencePieceProcessor(noUnk)).toThrow(/no unknown piece \(type UNKNOWN\)/);
    const ok = new SentencePieceProcessor(
      modelProto([
        ['<unk>', 0, 2],
        ['\u2581a', -1, 1],
        ['b', -2, 1],
      ]),
    );
    // "▁" and "c" are both unknown: sentencepiece merges consecutive unknown pieces
    expect(ok.encode('ab c').map((p) => p.piece)).toEqual(['\u2581a', 'b', '\u2581c']);
    expect(ok.encode('ab c').map((p) => p.id)).toEqual([1, 2, 0]);
  });

  it('tokenizer.json with an unsupported component or a bad unk_id', () => {
    const json = JSON.parse(folder.text('tokenizer.json'));
    expect(() => AlbertTokenizerFast.fromTokenizerJson({ ...json, normalizer: { type: 'BertNormalizer' } })).toThrow(
      /tokenizer\.json: normalizer: normalizer type "BertNormalizer" is not supported/,
    );
    expect(() => AlbertTokenizerFast.fromTokenizerJson({ ...json, pre_tokenizer: { type: 'ByteLevel' } })).toThrow(
      /pre-tokenizer type "ByteLevel" is not supported/,
    );
    expect(() => AlbertTokenizerFast.fromTokenizerJson({ ...json, model: { ...json.model, type: 'BPE' } })).toThrow(
      /model type "BPE" is not supported/,
    );
    expect(() => AlbertTokenizerFast.fromTokenizerJson({ ...json, model: { ...json.model, unk_id: 5000 } })).toThrow(
      /unk_id 5000 is outside the 1000-piece vocabulary/,
    );
    const noUnk = AlbertTokenizerFast.fromTokenizerJson({ ...json, model: { ...json.model, unk_id: null } });
    expect(() => noUnk.encode('日本')).toThrow(/model has no unk_id/);
    expect(() => AlbertTokenizerFast.fromTokenizerJson('{"model": ')).toThrow(/tokenizer\.json is not valid JSON/);
  });

  it('a folder without tokenizer files, a vocab.txt without [UNK], a bad tokenizer_config.json', async () => {
    const empty = join(tmp, 'empty');
    await expect(AutoTokenizer.fromPretrained(empty)).rejects.toThrow(
      /"[^"]*empty" is neither a local folder nor a valid Hub repo id/,
    );
    mkdirSync(empty, { recursive: true });
    await expect(AutoTokenizer.fromPretrained(empty)).rejects.toThrow(
      /empty: no tokenizer files: expected tokenizer\.json, spiece\.model or vocab\.txt/,
    );
    expect(() => new BertTokenizer('[CLS]\n[SEP]\nhello\n')).toThrow(/vocab\.txt has no "\[UNK\]" token \(3 tokens\)/);
    expect(() =>
      AlbertTokenizerFast.fromFiles({
        'tokenizer.json': folder.text('tokenizer.json'),
        'tokenizer_config.json': '{"do_lower_case": "yes"}',
      }),
    ).toThrow(/tokenizer_config\.json: do_lower_case must be true or false, got "yes"/);
  });

  it('bad call arguments', async () => {
    const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir);
    expect(() => tok.call('a', { textPair: 'b', truncation: 'only_second', maxLength: 3 })).toThrow(
      TokenizerInputError,
    );
    expect(() => tok.call('a b c d e f', { truncation: 'only_second', maxLength: 4 })).toThrow(
      /Second sequence not provided/,
    );
    expect(() =>
      tok.call('a b c d e f g h', { truncation: true, maxLength: 6, stride: 4, returnOverflowingTokens: true }),
    ).toThrow(/stride 4 must be strictly less than the truncated length 4/);
    expect(() => tok.call(['a'], { textPair: 'b' })).toThrow(
      /textPair must be a string for a single text and a list for a batch/,
    );
    expect(() => tok.decode([1_000_000])).toThrow(/cannot decode id 1000000: outside the vocabulary \(size 1000\)/);
    expect(() => tok.call('a', { padding: 'maximum' as never })).toThrow(/padding "maximum" is not one of/);
    expect(() => tok.call(['a', 'b c d'], { returnTensors: 'int64' })).toThrow(/pass padding to make them equal/);
    const slow = AlbertTokenizer.fromSentencePiece(folder.file('spiece.model'));
    expect(() => slow.call('a', { returnOffsetsMapping: true })).toThrow(
      /returnOffsetsMapping is not available with AlbertTokenizer/,
    );
  });
});

describe('every tokenizer fixture folder, with or without cases.json', () => {
  for (const fx of listTokenizers()) {
    it(`${fx.name}: spiece.model converts to its tokenizer.json, which transformers 5 rebuilds as its v5 file`, async () => {
      const read = (name: string) => readTokenizerFile(fx, name).toString('utf8');
      const cfg = parseTokenizerConfig(read('tokenizer_config.json'));
      const sp = new SentencePieceProcessor(new Uint8Array(readTokenizerFile(fx, 'spiece.model')));
      const json = JSON.parse(read('tokenizer.json'));
      expect(albertTokenizerJson(sp, { doLowerCase: cfg.doLowerCase!, keepAccents: cfg.keepAccents! })).toEqual(json);
      expect(transformersV5Json(json)).toEqual(JSON.parse(read('tokenizer.transformers-v5.json')));
      // The file as written: an lstrip [MASK] would take the space before it out of the joined tokens.
      const fast = await AlbertTokenizerFast.fromPretrained(fx.dir, { maskTokenLstrip: false });
      const slow = AlbertTokenizer.fromSentencePiece(new Uint8Array(readTokenizerFile(fx, 'spiece.model')), cfg);
      const text = "Größere Häuser kosten 1,5 Mio. € — (Klammer) [MASK] und ``Zitat''.";
      const r = fast.call(text, { returnOffsetsMapping: true });
      expect(fast.tokenize(text).join('')).toBe(fast.preTokenize(text).join(''));
      expect(slow.tokenize(text, { splitSpecialTokens: true }).join('')).toBe(
        slow.sp.normalizer.normalize(slow.preprocessText(text)),
      );
      expect(r.input_ids.length).toBeGreaterThan(5);
    });
  }
});

describe('saving and loading tokenizer folders', () => {
  it('savePretrained writes spiece.model, tokenizer.json, tokenizer_config.json, special_tokens_map.json that reload identically', async () => {
    const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir);
    const out = join(tmp, 'saved');
    const written = await tok.savePretrained(out);
    expect(written.map((p) => p.slice(out.length + 1)).sort()).toEqual([
      'special_tokens_map.json',
      'spiece.model',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(new Uint8Array(readFileSync(join(out, 'spiece.model')))).toEqual(folder.file('spiece.model'));
    expect(JSON.parse(readFileSync(join(out, 'tokenizer.json'), 'utf8'))).toEqual(
      JSON.parse(folder.text('tokenizer.json')),
    );
    const cfg = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'));
    expect(cfg).toMatchObject({
      do_lower_case: true,
      keep_accents: false,
      remove_space: true,
      model_max_length: 512,
      tokenizer_class: 'AlbertTokenizer',
      mask_token: '[MASK]',
    });
    expect(JSON.parse(readFileSync(join(out, 'special_tokens_map.json'), 'utf8'))).toMatchObject({
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '<pad>',
      unk_token: '<unk>',
    });
    const again = await AlbertTokenizerFast.fromPretrained(out);
    for (const c of folder.cases.singles) {
      const [a, b] = [again, tok].map((t) => t.call(c.text, { returnOffsetsMapping: true }));
      expect([a!.input_ids, a!.offset_mapping]).toEqual([b!.input_ids, b!.offset_mapping]);
    }
    const vocabOnly = join(tmp, 'vocab');
    await tok.saveVocabulary(vocabOnly);
    const slow = await AlbertTokenizer.fromSentencePiece(new Uint8Array(readFileSync(join(vocabOnly, 'spiece.model'))));
    expect(slow.tokenize(folder.cases.singles[0]!.text, { splitSpecialTokens: true })).toEqual(
      folder.cases.singles[0]!.slow_tokens,
    );
  });

  it('AlbertTokenizer (sentencepiece mode) saves a folder AlbertTokenizerFast loads as tokenizer.json', async () => {
    const slow = AlbertTokenizer.fromSentencePiece(folder.file('spiece.model'));
    const out = join(tmp, 'slow-saved');
    await slow.savePretrained(out);
    expect(JSON.parse(readFileSync(join(out, 'tokenizer.json'), 'utf8'))).toEqual(
      JSON.parse(folder.text('tokenizer.json')),
    );
    const fast = await AlbertTokenizerFast.fromPretrained(out, { maskTokenLstrip: false });
    for (const c of folder.cases.singles.slice(0, 50)) expect(fast.encode(c.text)).toEqual(c.tokenizers.ids);
    const reloaded = AlbertTokenizer.fromSentencePiece(new Uint8Array(readFileSync(join(out, 'spiece.model'))));
    expect(reloaded.tokenize('Hello world!', { splitSpecialTokens: true })).toEqual(
      folder.cases.singles[0]!.slow_tokens,
    );
  });

  it('a folder with spiece.model only is converted as AlbertConverter does', async () => {
    const out = join(tmp, 'spm-only');
    const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir);
    await tok.saveVocabulary(out);
    writeFileSync(join(out, 'tokenizer_config.json'), folder.text('tokenizer_config.json'));
    const converted = await AutoTokenizer.fromPretrained(out, { maskTokenLstrip: false });
    expect(converted).toBeInstanceOf(AlbertTokenizerFast);
    for (const c of folder.cases.singles)
      expect((converted as AlbertTokenizerFast).encode(c.text)).toEqual(c.tokenizers.ids);
  });

  it('tokenizer_config.json is honoured (model_max_length, padding side, special tokens, lower-casing)', async () => {
    const out = join(tmp, 'config');
    const tok = await AlbertTokenizerFast.fromPretrained(folder.fx.dir);
    await tok.saveVocabulary(out);
    writeFileSync(
      join(out, 'tokenizer_config.json'),
      JSON.stringify({
        do_lower_case: false,
        keep_accents: true,
        model_max_length: 8,
        padding_side: 'left',
        mask_token: { content: '[MASK]', lstrip: true },
      }),
    );
    const t = await AlbertTokenizerFast.fromPretrained(out);
    expect(t.modelMaxLength).toBe(8);
    expect(t.maskTokenId).toBe(4);
    const r = t.call(['A long sentence that goes on and on', 'Hi'], { truncation: true, padding: true });
    expect((r.input_ids as number[][]).map((x) => x.length)).toEqual([8, 8]);
    expect((r.attention_mask as number[][])[1]!.slice(0, 3)).toEqual([0, 0, 0]);
    // keep_accents/do_lower_case false: the converted normalizer keeps case
    expect(t.tokenize('Hi')).not.toEqual(tok.tokenize('Hi'));
  });

  it('a vocab.txt folder gets BertTokenizer (WordPiece), chosen automatically', async () => {
    const out = join(tmp, 'bert');
    const vocab = [
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      '[MASK]',
      '我',
      '爱',
      '北',
      '京',
      'hello',
      '##ing',
      'hell',
      'un',
      '##aff',
      '##able',
      ',',
      '!',
    ];
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'vocab.txt'), `${vocab.join('\n')}\n`);
    writeFileSync(join(out, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 16 }));
    const t = await AutoTokenizer.fromPretrained(out);
    expect(t).toBeInstanceOf(BertTokenizer);
    expect(t.tokenize('我爱北京, UNAFFABLE hellING!')).toEqual([
      '我',
      '爱',
      '北',
      '京',
      ',',
      'un',
      '##aff',
      '##able',
      'hell',
      '##ing',
      '!',
    ]);
    expect(t.tokenize('Héllo xyz')).toEqual(['hello', '[UNK]']);
    expect(t.call('我爱', { textPair: '北京', returnTokenTypeIds: true })).toMatchObject({
      input_ids: [2, 5, 6, 3, 7, 8, 3],
      token_type_ids: [0, 0, 0, 0, 1, 1, 1],
      attention_mask: [1, 1, 1, 1, 1, 1, 1],
    });
    expect(t.decode([2, 12, 13, 14, 3], { skipSpecialTokens: true })).toBe('unaffable');
    expect(t.modelMaxLength).toBe(16);
  });
});
