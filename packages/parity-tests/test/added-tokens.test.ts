// Domain vocabulary end to end: tokens added on both tokenizers (transformers' add_tokens / add_special_tokens with
// AddedToken options) and on the model (the tfjs handle's resizeTokenEmbeddings and core's on a checkpoint: transformers'
// mean_resizing and pad_to_multiple_of), saved, reloaded and run on tfjs, onnx and webgpu with the same outputs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  getInputEmbeddings,
  InputError,
  loadPretrained,
  resizeTokenEmbeddings,
  setInputEmbeddings,
  Tensor,
} from '@albertjs/core';
import { defaultModelPath } from '@albertjs/pipelines';
import { saveCheckpoint } from '@albertjs/tfjs';
import { AlbertTokenizer, AlbertTokenizerFast } from '@albertjs/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'albertjs-added-tokens-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const base = defaultModelPath();
const TEXT = 'i ran albertjs on [E1] the <ent> model.';

function addDomainTokens(tok: AlbertTokenizer | AlbertTokenizerFast): number[] {
  return [
    tok.addTokens(['albertjs', { content: '<ent>', lstrip: true, rstrip: true }, '\u2581the']),
    tok.addSpecialTokens({ additional_special_tokens: ['[E1]'] }),
  ];
}

describe('addTokens / addSpecialTokens', () => {
  it('both tokenizers give the added tokens the next ids, split them out, skip special ones in decode', async () => {
    const fast = await AlbertTokenizerFast.fromPretrained(base);
    const slow = await AlbertTokenizer.fromPretrained(base);
    const V = fast.vocabSize;
    for (const tok of [fast, slow]) {
      // '▁the' is already a piece: it keeps its id (tokenizers' AddedVocabulary::add_tokens counts it as added)
      expect(addDomainTokens(tok)).toEqual([3, 1]);
      expect(tok.convertTokensToIds(['\u2581the'])).toEqual([fast.pipeline.model.tokenToIdOf('\u2581the')]);
      expect(tok.length).toBe(V + 3);
      expect(tok.convertTokensToIds(['albertjs', '<ent>', '[E1]'])).toEqual([V, V + 1, V + 2]);
      expect(addDomainTokens(tok)).toEqual([0, 0]); // adding again changes nothing
    }
    const ids = fast.encode(TEXT);
    expect(ids).toEqual(expect.arrayContaining([V, V + 1, V + 2]));
    // the slow tokenizer strips the text around a split-out token before sentencepiece (preprocess_text's
    // remove_space), the fast one keeps a lone '▁' piece before it: transformers 4's slow and fast differ the same way
    expect(slow.encode(TEXT).filter((i) => i !== fast.tokenToId('\u2581'))).toEqual(
      ids.filter((i) => i !== fast.tokenToId('\u2581')),
    );
    // lstrip / rstrip: '<ent>' takes the spaces around it, so "the" and "model" are single words on either side
    expect(fast.tokenize(TEXT)).toEqual(expect.arrayContaining(['albertjs', '[E1]', '<ent>']));
    expect(fast.decode(ids, { skipSpecialTokens: true })).not.toContain('[E1]');
    expect(fast.decode(ids)).toContain('[E1]');
    expect(() => fast.addTokens([''])).toThrow(/an added token needs non-empty content, got ""/);
  });

  it('savePretrained writes them as transformers does, and both tokenizers read them back', async () => {
    const fast = await AlbertTokenizerFast.fromPretrained(base);
    addDomainTokens(fast);
    const dir = join(tmp, 'tok');
    await fast.savePretrained(dir);
    const V = fast.vocabSize;
    expect(JSON.parse(readFileSync(join(dir, 'added_tokens.json'), 'utf8'))).toEqual({
      albertjs: V,
      '<ent>': V + 1,
      '[E1]': V + 2,
    });
    const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(cfg.additional_special_tokens).toEqual(['[E1]']);
    expect(cfg.added_tokens_decoder[String(V + 1)]).toEqual({
      content: '<ent>',
      lstrip: true,
      normalized: true,
      rstrip: true,
      single_word: false,
      special: false,
    });
    expect(cfg.added_tokens_decoder[String(V + 2)]).toMatchObject({
      content: '[E1]',
      special: true,
      normalized: false,
    });
    const tj = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    expect(tj.added_tokens.map((t: { content: string }) => t.content)).toEqual(
      expect.arrayContaining(['albertjs', '<ent>', '[E1]']),
    );
    const want = fast.encode(TEXT);
    expect((await AlbertTokenizerFast.fromPretrained(dir)).encode(TEXT)).toEqual(want);
    const slow = await AlbertTokenizer.fromPretrained(base);
    addDomainTokens(slow);
    const slowDir = join(tmp, 'slow-tok');
    await slow.savePretrained(slowDir);
    expect(readFileSync(join(slowDir, 'added_tokens.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'added_tokens.json'), 'utf8'),
    );
    expect((await AlbertTokenizer.fromPretrained(slowDir)).encode(TEXT)).toEqual(slow.encode(TEXT));
    expect((await AlbertTokenizerFast.fromPretrained(slowDir)).encode(TEXT)).toEqual(want);
    // spiece.model + tokenizer_config.json only: the added tokens come from added_tokens_decoder
    rmSync(join(dir, 'tokenizer.json'));
    expect((await AlbertTokenizerFast.fromPretrained(dir)).encode(TEXT)).toEqual(want);
  });
});

describe('resizeTokenEmbeddings', () => {
  it('mean-resizes the embeddings, zero-pads the tied decoder bias, pads to a multiple, updates vocab_size', async () => {
    const m = await loadPretrained(base, 'AlbertForMaskedLM');
    const old = getInputEmbeddings('AlbertForMaskedLM', m.weights);
    const [V, E] = old.shape as [number, number];
    const r = resizeTokenEmbeddings('AlbertForMaskedLM', m.config, m.weights, V + 3, { padToMultipleOf: 64 });
    const n = Math.ceil((V + 3) / 64) * 64;
    expect(r.config.vocab_size).toBe(n);
    const emb = getInputEmbeddings('AlbertForMaskedLM', r.weights);
    expect(emb.shape).toEqual([n, E]);
    expect(emb.data.subarray(0, V * E)).toEqual(old.data);
    const mean = Array.from({ length: E }, (_, e) => {
      let s = 0;
      for (let v = 0; v < V; v++) s += old.data[v * E + e]!;
      return s / V;
    });
    // _init_added_embeddings_weights_with_mean: samples of N(mean, 1e-9 · covariance): the mean to ~1e-5
    for (let row = V; row < n; row++)
      for (let e = 0; e < E; e++) expect(Math.abs(emb.data[row * E + e]! - mean[e]!)).toBeLessThan(1e-4);
    const bias = r.weights.f32('predictions.bias');
    expect(bias.data.subarray(0, V)).toEqual(m.weights.f32('predictions.bias').data);
    expect([...bias.data.subarray(V)].every((b) => b === 0)).toBe(true);
    expect(r.weights.get('predictions.decoder.weight')).toBe(r.weights.get('albert.embeddings.word_embeddings.weight'));
    // meanResizing: false → normal(0, initializer_range); shrinking keeps the first rows
    const z = resizeTokenEmbeddings('AlbertForMaskedLM', m.config, m.weights, V + 2000, { meanResizing: false });
    const fresh = getInputEmbeddings('AlbertForMaskedLM', z.weights).data.subarray(V * E);
    const std = Math.sqrt(fresh.reduce((a, x) => a + x * x, 0) / fresh.length);
    expect(Math.abs(std / m.config.initializer_range - 1)).toBeLessThan(0.05);
    const small = resizeTokenEmbeddings('AlbertForMaskedLM', m.config, m.weights, 100);
    expect(getInputEmbeddings('AlbertForMaskedLM', small.weights).data).toEqual(old.data.subarray(0, 100 * E));
    expect(() => resizeTokenEmbeddings('AlbertForMaskedLM', m.config, m.weights, 0)).toThrow(InputError);
    // setInputEmbeddings: any matrix of embedding_size columns; the decoder follows
    const mat = Tensor.f32(new Float32Array(10 * E).fill(0.5), [10, E]);
    const s = setInputEmbeddings('AlbertForMaskedLM', m.config, m.weights, mat);
    expect(s.config.vocab_size).toBe(10);
    expect(s.weights.f32('predictions.decoder.weight').data).toEqual(mat.data);
    expect(() => setInputEmbeddings('AlbertForMaskedLM', m.config, m.weights, Tensor.f32([1, 2], [1, 2]))).toThrow(
      /input embeddings must be \[vocab, embedding_size = \d+\], got \[1, 2\]/,
    );
  });

  it('a token added on tokenizer and model round-trips save → load → tfjs, onnx and webgpu with the same outputs', async () => {
    const tok = await AlbertTokenizerFast.fromPretrained(base);
    addDomainTokens(tok);
    const m = await loadPretrained(base, 'AlbertForMaskedLM');
    // the model side through the training backend's handle (transformers: model.resize_token_embeddings(len(tok)))
    const tfjs = await (await import('@albertjs/tfjs')).createBackend({ runtime: 'cpu' });
    const trained = await tfjs.loadModel('AlbertForMaskedLM', m.config, m.weights);
    const n = await trained.resizeTokenEmbeddings(tok.length, { padToMultipleOf: 8 });
    expect(n).toBe(Math.ceil(tok.length / 8) * 8);
    const dir = join(tmp, 'model');
    await saveCheckpoint(trained, dir);
    await tok.savePretrained(dir);
    expect(existsSync(join(dir, 'added_tokens.json'))).toBe(true);
    const again = await loadPretrained(dir, 'AlbertForMaskedLM');
    expect(again.report.newlyInitialized).toEqual([]);
    expect(again.config.vocab_size).toBe(n);
    const ids = (await AlbertTokenizerFast.fromPretrained(dir)).encode(TEXT);
    expect(ids).toEqual(tok.encode(TEXT));
    expect(ids).toEqual(expect.arrayContaining([tok.length - 3, tok.length - 2, tok.length - 1]));
    const inMemory = (await trained.forward({ input_ids: [ids] })).logits.data;
    trained.dispose();
    const backends: Backend[] = [
      tfjs,
      await (await import('@albertjs/onnx')).createBackend(),
      await (await import('@albertjs/webgpu')).createBackend(),
    ];
    const outs: Float32Array[] = [];
    for (const be of backends) {
      const model = await be.loadModel('AlbertForMaskedLM', again.config, again.weights);
      outs.push((await model.forward({ input_ids: [ids] })).logits.data);
      model.dispose();
      await be.dispose?.();
    }
    expect(outs[0]!.length).toBe(ids.length * n);
    expect(outs[0]).toEqual(inMemory); // saved and reloaded on tfjs: bit for bit
    for (const o of outs.slice(1)) {
      let d = 0;
      for (let i = 0; i < o.length; i++) d = Math.max(d, Math.abs(o[i]! - outs[0]![i]!));
      expect(d).toBeLessThan(1e-4);
    }
  }, 60_000);
});
