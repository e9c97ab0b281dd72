// Every pipeline end to end: the spm-en-1000 fixture tokenizer + a fixture model on tfjs (cpu), onnx and
// webgpu; a backend that cannot start fails its tests (describeBackends). Each result is checked against the same computation done by hand: the
// unpadded single-row forward pass of the model on the tokenizer's own encoding, then the brute-force
// expectation (argmax of logits, best start+end span, …). Batches must agree with single calls.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AlbertConfig,
  type AlbertModelHandle,
  type Backend,
  bindWeights,
  type HeadName,
  readCheckpointDir,
} from '@albertjs/core';
import { listCases, listTokenizers } from '@albertjs/parity-tests';
import { loadTokenizer, type PipelineTokenizer, pipeline } from '@albertjs/pipelines';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTRACT_BACKENDS, describeBackends } from './describe-backends.js';

const tokDir = listTokenizers().find((t) => t.name === 'spm-en-1000')!.dir;
const modelDir = (head: string) => listCases().find((c) => c.config === 'groups' && c.head === head)!.modelPath;

/** Outputs of one unpadded row, straight from the backend (models cached per backend and folder). */
const handles = new Map<string, Promise<AlbertModelHandle>>();
async function forwardOne(
  backend: Backend,
  head: HeadName,
  dir: string,
  enc: { input_ids: number[]; token_type_ids: number[] },
) {
  const key = `${backend.name}:${dir}`;
  if (!handles.has(key)) {
    handles.set(
      key,
      readCheckpointDir(dir).then(({ config, tensors }) =>
        backend.loadModel(head, config, bindWeights(head, config, tensors).weights),
      ),
    );
  }
  const m = await handles.get(key)!;
  const row = {
    input_ids: [enc.input_ids],
    token_type_ids: [enc.token_type_ids],
    attention_mask: [enc.input_ids.map(() => 1)],
  };
  // multiple choice takes [B, C, S]: one question with one choice
  const out = await m.forward(
    head === 'AlbertForMultipleChoice'
      ? { input_ids: [row.input_ids], token_type_ids: [row.token_type_ids], attention_mask: [row.attention_mask] }
      : row,
  );
  return out as unknown as Record<string, { data: Float32Array; shape: readonly number[] }>;
}
const argsort = (x: ArrayLike<number>) => [...Array.from(x).keys()].sort((i, j) => x[j]! - x[i]!);

describeBackends(
  'pipelines',
  (be) => {
    let tokenizer: PipelineTokenizer;
    beforeAll(async () => {
      tokenizer = await loadTokenizer(tokDir);
    });
    afterAll(async () => {
      for (const [k, h] of handles) if (k.startsWith(`${be.backend.name}:`)) (await h).dispose();
    });

    it('fill-mask: top-5 = the 5 largest logits at the mask; batch = single calls', async () => {
      const p = await pipeline('fill-mask', modelDir('AlbertForMaskedLM'), {
        backend: be.backend,
        tokenizer,
        batchSize: 2,
      });
      const texts = [
        'the [MASK] of the world.',
        'a [MASK] day',
        'once upon a time there was a [MASK] in the house of the king.',
      ];
      const batch = await p.run(texts, { topK: 5 });
      for (const [i, text] of texts.entries()) {
        const enc = tokenizer.encode(text)[0]!;
        const out = await forwardOne(be.backend, 'AlbertForMaskedLM', modelDir('AlbertForMaskedLM'), enc);
        const V = 1000;
        const pos = enc.input_ids.indexOf(tokenizer.maskTokenId);
        const want = argsort(out.logits!.data.subarray(pos * V, (pos + 1) * V)).slice(0, 5);
        const got = batch[i] as { token: number; score: number; token_str: string }[];
        expect(got.map((r) => r.token)).toEqual(want);
        expect(got[0]!.token_str).toBe(tokenizer.decode([want[0]!]));
        const single = (await p.run(text, { topK: 5 })) as { score: number }[];
        for (const [k, r] of single.entries()) expect(Math.abs(r.score - got[k]!.score)).toBeLessThan(1e-5);
      }
      // two masks: one ranked list per mask, each sequence filling only its own mask
      const two = (await p.run('the [MASK] of the [MASK].', { topK: 2 })) as {
        sequence: string;
        token_str: string;
      }[][];
      expect(two.length).toBe(2);
      for (const r of two[0]!) expect(r.sequence).toContain('[MASK]');
      // targets: vocabulary entries as given (HF's get_target_ids), ranked by their logits at the mask
      const targets = ['▁the', '▁of', '▁and'];
      const enc0 = tokenizer.encode(texts[0]!)[0]!;
      const logits0 = (await forwardOne(be.backend, 'AlbertForMaskedLM', modelDir('AlbertForMaskedLM'), enc0)).logits!
        .data;
      const pos0 = enc0.input_ids.indexOf(tokenizer.maskTokenId);
      const tids = targets.map((t) => tokenizer.tokenToId(t)!);
      const t = (await p.run(texts[0]!, { targets })) as { token: number }[];
      expect(t.map((r) => r.token)).toEqual(
        [...tids].sort((a, b) => logits0[pos0 * 1000 + b]! - logits0[pos0 * 1000 + a]!),
      );
      p.dispose();
    });

    it('text-classification: pairs and single texts, softmax over 3 labels, input order kept', async () => {
      const dir = modelDir('AlbertForSequenceClassification');
      const p = await pipeline('text-classification', dir, { backend: be.backend, tokenizer, batchSize: 2 });
      const inputs = [
        { text: 'is this right?', text_pair: 'yes it is, mostly.' },
        'short',
        'a much longer sentence with many more words in it than the others',
      ];
      const got = await p.run(inputs, { topK: null });
      const id2label = AlbertConfig.fromJSON(readFileSync(join(dir, 'config.json'), 'utf8')).id2label;
      for (const [i, x] of inputs.entries()) {
        const enc =
          typeof x === 'string' ? tokenizer.encode(x)[0]! : tokenizer.encode(x.text, { textPair: x.text_pair })[0]!;
        const logits = (await forwardOne(be.backend, 'AlbertForSequenceClassification', dir, enc)).logits!.data;
        expect(got[i]!.map((r) => r.label)).toEqual(argsort(logits).map((k) => id2label[String(k)]));
        expect(got[i]!.reduce((a, r) => a + r.score, 0)).toBeCloseTo(1, 5);
      }
      p.dispose();
    });

    it('token-classification: entities carry character offsets into the original text', async () => {
      const dir = modelDir('AlbertForTokenClassification');
      const p = await pipeline('ner', dir, { backend: be.backend, tokenizer });
      const text = 'John Smith lives in New York City.';
      const none = (await p.run(text, { ignoreLabels: [] })) as {
        entity: string;
        index: number;
        start: number;
        end: number;
        word: string;
      }[];
      const enc = tokenizer.encode(text)[0]!;
      const logits = (await forwardOne(be.backend, 'AlbertForTokenClassification', dir, enc)).logits!.data;
      const content = enc.input_ids.map((_, i) => i).filter((i) => !enc.special_tokens_mask[i]);
      expect(none.map((e) => e.index)).toEqual(content);
      for (const e of none) {
        expect(e.entity).toBe(`LABEL_${argsort(logits.subarray(e.index * 5, e.index * 5 + 5))[0]}`);
        expect([e.start, e.end]).toEqual(enc.offsets[e.index]);
        // transformers 5 offsets: a word-initial piece (▁john) spans the word, not the space before it
        // (a lone ▁ piece maps to the first character of its word, as in transformers)
        if (e.word !== '▁') expect(text.slice(e.start, e.end).toLowerCase()).toBe(e.word.replace(/^▁/, ''));
      }
      for (const aggregationStrategy of ['first', 'average', 'max'] as const) {
        const words = (await p.run(text, { aggregationStrategy, ignoreLabels: [] })) as {
          start: number;
          end: number;
          word: string;
        }[];
        // word-level groups start where a token starts and end where one ends
        for (const w of words) {
          expect(none.some((e) => e.start === w.start)).toBe(true);
          expect(none.some((e) => e.end === w.end)).toBe(true);
        }
      }
      const simple = (await p.run(text, { aggregationStrategy: 'simple', ignoreLabels: [] })) as {
        start: number;
        end: number;
      }[];
      expect(simple[0]!.start).toBe(none[0]!.start);
      expect(simple[simple.length - 1]!.end).toBe(none[none.length - 1]!.end);
      p.dispose();
    });

    it('question-answering: long context in doc_stride windows, best span over all windows', async () => {
      const dir = modelDir('AlbertForQuestionAnswering');
      const p = await pipeline('question-answering', dir, { backend: be.backend, tokenizer });
      const question = 'where is the house?';
      const context =
        'the house stands on a hill above the river, far from the town. people walk there in the summer and the children play in the garden near the old trees.';
      const opts = { maxSeqLen: 24, docStride: 6, maxAnswerLen: 4 };
      const windows = tokenizer.encode(question, {
        textPair: context,
        truncation: 'only_second',
        maxLength: 24,
        stride: 6,
        returnOverflowingTokens: true,
      });
      expect(windows.length).toBeGreaterThan(1);
      let best = { v: Number.NEGATIVE_INFINITY, start: -1, end: -1, windowStart: -1 };
      for (const w of windows) {
        const out = await forwardOne(be.backend, 'AlbertForQuestionAnswering', dir, w);
        const s = out.start_logits!.data;
        const e = out.end_logits!.data;
        const ctx = w.sequence_ids.map((x) => x === 1);
        // softmax normalizers differ per window: compare log-probabilities
        const allowed = w.sequence_ids.map((x, i) => x === 1 || w.input_ids[i] === tokenizer.clsTokenId);
        const lse = (x: Float32Array) =>
          Math.log(Array.from(x).reduce((a, v, i) => a + (allowed[i] ? Math.exp(v) : 0), 0));
        const ls = lse(s);
        const le = lse(e);
        for (let a = 0; a < s.length; a++) {
          for (let b = a; b < Math.min(s.length, a + opts.maxAnswerLen); b++) {
            if (ctx[a] && ctx[b] && s[a]! - ls + e[b]! - le > best.v)
              best = {
                v: s[a]! - ls + e[b]! - le,
                start: w.offsets[a]![0],
                end: w.offsets[b]![1],
                windowStart: w.offsets[w.sequence_ids.indexOf(1)]![0],
              };
          }
        }
      }
      const got = (await p.run({ question, context }, { ...opts, alignToWords: false })) as {
        start: number;
        end: number;
        answer: string;
        score: number;
      };
      expect([got.start, got.end]).toEqual([best.start, best.end]);
      expect(got.answer).toBe(context.slice(best.start, best.end));
      expect(Math.abs(Math.log(got.score) - best.v)).toBeLessThan(1e-4);
      // align_to_words (the default) widens the same span to whole words
      const aligned = (await p.run({ question, context }, opts)) as {
        start: number;
        end: number;
        answer: string;
        score: number;
      };
      expect(aligned.score).toBe(got.score);
      expect(aligned.start).toBeLessThanOrEqual(best.start);
      expect(aligned.end).toBeGreaterThanOrEqual(best.end);
      const lead = aligned.answer.length - aligned.answer.trimStart().length;
      // a word cut by the window's first token is widened only within the window
      const ts = aligned.start + lead;
      expect(ts === best.windowStart || ts === 0 || !/[a-z]/.test(context[ts - 1]!)).toBe(true);
      expect(/[a-z]/.test(context[aligned.end] ?? ' ')).toBe(false);
      expect(context.slice(aligned.start + lead, best.start).trim()).not.toMatch(/\s/);
      const withNull = (await p.run({ question, context }, { ...opts, topK: 50, handleImpossibleAnswer: true })) as {
        score: number;
        answer: string;
      }[];
      expect(withNull.filter((a) => a.answer === '').length).toBe(1);
      for (let i = 1; i < withNull.length; i++) expect(withNull[i]!.score).toBeLessThanOrEqual(withNull[i - 1]!.score);
      const three = (await p.run({ question, context }, { ...opts, topK: 3 })) as { score: number }[];
      expect(three.length).toBe(3);
      expect(three[0]!.score).toBeCloseTo(got.score, 6);
      p.dispose();
    });

    it('multiple-choice, feature-extraction, sentence-order', async () => {
      const mc = await pipeline('multiple-choice', modelDir('AlbertForMultipleChoice'), {
        backend: be.backend,
        tokenizer,
      });
      const q = { question: 'the sun rises in the', choices: ['east.', 'west, they say.', 'north'] };
      const ranked = await mc.run(q);
      const logits = await Promise.all(
        q.choices.map(
          async (c) =>
            (
              await forwardOne(
                be.backend,
                'AlbertForMultipleChoice',
                modelDir('AlbertForMultipleChoice'),
                tokenizer.encode(q.question, { textPair: c })[0]!,
              )
            ).logits!.data[0]!,
        ),
      );
      expect(ranked.map((r) => r.index)).toEqual(argsort(logits));
      mc.dispose();

      const fe = await pipeline('feature-extraction', modelDir('AlbertModel'), { backend: be.backend, tokenizer });
      const [a, b] = await fe.run(['hello world', 'a longer sentence for the batch'], {
        pooling: 'mean',
        normalize: true,
      });
      expect(a!.shape).toEqual([48]);
      expect(Math.hypot(...a!.data)).toBeCloseTo(1, 5);
      const single = await fe.run('hello world', { pooling: 'mean', normalize: true });
      for (const [i, v] of single.data.entries()) expect(Math.abs(v - a!.data[i]!)).toBeLessThan(1e-5);
      const tokens = await fe.run('hello world');
      const enc = tokenizer.encode('hello world')[0]!;
      expect(tokens.shape).toEqual([enc.input_ids.length, 48]);
      const lhs = (await forwardOne(be.backend, 'AlbertModel', modelDir('AlbertModel'), enc)).last_hidden_state!.data;
      for (const [i, v] of tokens.data.entries()) expect(Math.abs(v - lhs[i]!)).toBeLessThan(1e-5);
      expect(b!.shape).toEqual([48]);
      fe.dispose();

      const sop = await pipeline('sentence-order', modelDir('AlbertForPreTraining'), {
        backend: be.backend,
        tokenizer,
      });
      const r = await sop.run(['the cat sat down.', 'then it slept.']);
      const sl = (
        await forwardOne(
          be.backend,
          'AlbertForPreTraining',
          modelDir('AlbertForPreTraining'),
          tokenizer.encode('the cat sat down.', { textPair: 'then it slept.' })[0]!,
        )
      ).sop_logits!.data;
      expect(r.label).toBe(sl[1]! > sl[0]! ? 'swapped' : 'in_order');
      expect(r.scores.in_order + r.scores.swapped).toBeCloseTo(1, 6);
      sop.dispose();
    });
  },
  CONTRACT_BACKENDS.filter((e) => e.name !== 'tfjs-wasm'), // tfjs runs on its pure-JS cpu runtime here
);
