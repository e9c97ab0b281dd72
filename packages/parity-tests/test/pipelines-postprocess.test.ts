// Every pipeline's post-processing against expectations computed independently from the fixtures' logits
// (HF PyTorch outputs): argmax / brute-force searches over raw logits, log-sum-exp probabilities.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertConfig, type Tensor, toFloat32 } from '@albertjs/core';
import { type FixtureCase, listCases, pick } from '@albertjs/parity-tests';
import {
  defaultClassificationFunction,
  featureExtractionPostprocess,
  fillMaskPostprocess,
  multipleChoicePostprocess,
  questionAnsweringPostprocess,
  sentenceOrderPostprocess,
  textClassificationPostprocess,
  tokenClassificationPostprocess,
} from '@albertjs/pipelines';
import { describe, expect, it } from 'vitest';

const CLS = 2;
const SEP = 3;
const PAD = 0;
const MASK = 4;

const cases = (head: string, variant = 'eager') => listCases().filter((c) => c.head === head && c.variant === variant);
const configOf = (c: FixtureCase) => AlbertConfig.fromJSON(readFileSync(join(c.modelPath, 'config.json'), 'utf8'));
function load(c: FixtureCase): { inp: Map<string, Tensor>; out: Map<string, Tensor> } {
  const t = c.load();
  return { inp: pick(t, 'in.'), out: pick(t, 'out.') };
}
const ids = (t: Tensor | undefined, b: number, S: number) =>
  Array.from(toFloat32(t!).data.subarray(b * S, (b + 1) * S));
const f32 = (t: Tensor | undefined) => toFloat32(t!).data;
/** log-probability of x[i] under softmax(x), via log-sum-exp in float64. */
function logProb(x: ArrayLike<number>, i: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < x.length; j++) m = Math.max(m, x[j]!);
  let s = 0;
  for (let j = 0; j < x.length; j++) s += Math.exp(x[j]! - m);
  return x[i]! - m - Math.log(s);
}
const decode = (t: number[]) => t.join(' ');

describe('fill-mask post-processing', () => {
  for (const c of [...cases('AlbertForMaskedLM'), ...cases('AlbertForMaskedLM', 'nomask')]) {
    it(`${c.id}: top-k at every mask = the k largest logits`, () => {
      const { inp, out } = load(c);
      const logits = out.get('logits')!;
      const [B, S, V] = logits.shape as [number, number, number];
      for (let b = 0; b < B; b++) {
        const row = f32(logits).subarray(b * S * V, (b + 1) * S * V); // [S, V]
        const inputIds = ids(inp.get('input_ids'), b, S);
        const maskAt = [1, 3];
        for (const p of maskAt) inputIds[p] = MASK;
        const got = fillMaskPostprocess({
          logits: row,
          vocabSize: V,
          inputIds,
          maskTokenId: MASK,
          padTokenId: PAD,
          topK: 5,
          decode,
        });
        expect(got.length).toBe(maskAt.length);
        maskAt.forEach((p, m) => {
          const x = row.subarray(p * V, (p + 1) * V);
          const want = [...x.keys()].sort((i, j) => x[j]! - x[i]!).slice(0, 5);
          expect(got[m]!.map((r) => r.token)).toEqual(want);
          for (const r of got[m]!) expect(Math.abs(r.score - Math.exp(logProb(x, r.token)))).toBeLessThan(1e-9);
          expect(got[m]![0]!.sequence.split(' ')[p]).toBe(String(want[0]));
        });
        // targets: the best of the given ids, scored with the full-vocabulary softmax
        const targets = [10, 20, 30];
        const t = fillMaskPostprocess({
          logits: row,
          vocabSize: V,
          inputIds,
          maskTokenId: MASK,
          padTokenId: PAD,
          topK: 5,
          targetIds: targets,
          decode,
        });
        const x = row.subarray(maskAt[0]! * V, (maskAt[0]! + 1) * V);
        expect(t[0]!.map((r) => r.token)).toEqual([...targets].sort((i, j) => x[j]! - x[i]!));
      }
    });
  }
  it('names the missing mask', () => {
    expect(() =>
      fillMaskPostprocess({
        logits: new Float32Array(4),
        vocabSize: 2,
        inputIds: [1, 2],
        maskTokenId: 7,
        padTokenId: 0,
        decode,
      }),
    ).toThrow(/no mask token \(id 7\)/);
  });
});

describe('text-classification post-processing', () => {
  const heads = [
    'AlbertForSequenceClassification',
    'AlbertForSequenceClassification-regression',
    'AlbertForSequenceClassification-multilabel',
  ];
  for (const c of heads.flatMap((h) => cases(h))) {
    it(`${c.id}: HF's default score function and ranking`, () => {
      const cfg = configOf(c);
      const { out } = load(c);
      const logits = out.get('logits')!;
      const [B, L] = logits.shape.length === 2 ? (logits.shape as [number, number]) : [logits.shape[0]!, 1];
      const fn = defaultClassificationFunction(cfg.problem_type, cfg.num_labels);
      expect(fn).toBe(
        cfg.num_labels === 1 || cfg.problem_type === 'multi_label_classification' ? 'sigmoid' : 'softmax',
      );
      for (let b = 0; b < B; b++) {
        const x = f32(logits).subarray(b * L, (b + 1) * L);
        const all = textClassificationPostprocess({
          logits: x,
          id2label: cfg.id2label,
          functionToApply: fn,
          topK: null,
        });
        const order = [...x.keys()].sort((i, j) => x[j]! - x[i]!);
        expect(all.map((r) => r.label)).toEqual(order.map((i) => cfg.id2label[String(i)]));
        for (const [k, r] of all.entries()) {
          const want = fn === 'sigmoid' ? 1 / (1 + Math.exp(-x[order[k]!]!)) : Math.exp(logProb(x, order[k]!));
          expect(Math.abs(r.score - want)).toBeLessThan(1e-9);
        }
        const none = textClassificationPostprocess({
          logits: x,
          id2label: cfg.id2label,
          functionToApply: 'none',
          topK: 1,
        });
        expect(none).toEqual([{ label: cfg.id2label[String(order[0])], score: x[order[0]!] }]);
      }
    });
  }
  it('rejects an unknown function', () => {
    expect(() =>
      textClassificationPostprocess({
        logits: [1, 2],
        id2label: { 0: 'a', 1: 'b' },
        functionToApply: 'relu' as 'none',
      }),
    ).toThrow(/"relu"/);
  });
});

describe('token-classification post-processing', () => {
  const labels = { 0: 'O', 1: 'B-PER', 2: 'I-PER', 3: 'B-LOC', 4: 'I-LOC' };
  for (const c of cases('AlbertForTokenClassification')) {
    it(`${c.id}: strategy none = per-token argmax, special tokens and O dropped`, () => {
      const { inp, out } = load(c);
      const logits = out.get('logits')!;
      const [B, S, L] = logits.shape as [number, number, number];
      for (let b = 0; b < B; b++) {
        const inputIds = ids(inp.get('input_ids'), b, S);
        const special = inputIds.map((t) => (t === CLS || t === SEP || t === PAD ? 1 : 0));
        // token i is the word `t<i>`, words separated by one space
        const words = inputIds.map((_, i) => `t${i}`);
        const sentence = words.join(' ');
        let pos = 0;
        const offsets = words.map((w) => {
          const o: [number, number] = [pos, pos + w.length];
          pos += w.length + 1;
          return o;
        });
        const row = f32(logits).subarray(b * S * L, (b + 1) * S * L);
        const got = tokenClassificationPostprocess({
          sentence,
          logits: row,
          inputIds,
          offsets,
          specialTokensMask: special,
          id2label: labels,
          unkTokenId: 1,
          convertIdsToTokens: (t) => t.map(String),
          convertTokensToString: (t) => t.join(''),
        });
        const want = inputIds.flatMap((t, i) => {
          if (special[i]) return [];
          const x = row.subarray(i * L, (i + 1) * L);
          const k = [...x.keys()].reduce((a, j) => (x[j]! > x[a]! ? j : a), 0);
          return k === 0
            ? []
            : [
                {
                  entity: labels[k as 1],
                  index: i,
                  word: String(t),
                  start: offsets[i]![0],
                  end: offsets[i]![1],
                  score: Math.exp(logProb(x, k)),
                },
              ];
        });
        expect(got.map((e) => ({ ...e, score: 0 }))).toEqual(want.map((e) => ({ ...e, score: 0 })));
        for (const [i, e] of got.entries()) expect(Math.abs(e.score - want[i]!.score)).toBeLessThan(1e-9);
      }
    });
  }
  // Hand-made logits: 3 words, "Jo hn" (2 tokens) "lives" "Paris"; checks word aggregation and B/I grouping.
  const sentence = 'John lives Paris';
  const offsets: [number, number][] = [
    [0, 0],
    [0, 2],
    [2, 4],
    [5, 10],
    [11, 16],
    [0, 0],
  ];
  const tokens = ['[CLS]', '▁jo', 'hn', '▁lives', '▁paris', '[SEP]'];
  const hi = 5;
  const rowFor = (label: number, strength = hi) => [0, 1, 2, 3, 4].map((l) => (l === label ? strength : 0));
  const logits = Float32Array.from([
    ...rowFor(0),
    ...rowFor(1),
    ...rowFor(3, 8),
    ...rowFor(0),
    ...rowFor(3),
    ...rowFor(0),
  ]);
  const base = {
    sentence,
    logits,
    inputIds: [2, 10, 11, 12, 13, 3],
    offsets,
    specialTokensMask: [1, 0, 0, 0, 0, 1],
    id2label: labels,
    unkTokenId: 1,
    convertIdsToTokens: (t: number[]) => t.map((i) => tokens[i - 8] ?? '?'),
    convertTokensToString: (t: string[]) => t.join('').replaceAll('▁', ' ').trim(),
  };
  const p = (x: number) => Math.exp(x) / (Math.exp(x) + 4);
  it('first: the first sub-token decides the word', () => {
    const got = tokenClassificationPostprocess({
      ...base,
      convertIdsToTokens: () => ['▁jo'],
      aggregationStrategy: 'first',
    });
    expect(got.map((e) => [('entity_group' in e && e.entity_group) || '', e.start, e.end])).toEqual([
      ['PER', 0, 4],
      ['LOC', 11, 16],
    ]);
    expect(got[0]!.score).toBeCloseTo(p(hi), 12);
  });
  it('max: the most confident sub-token decides the word', () => {
    const got = tokenClassificationPostprocess({ ...base, aggregationStrategy: 'max' });
    expect(got.map((e) => ('entity_group' in e ? e.entity_group : ''))).toEqual(['LOC', 'LOC']);
    expect(got[0]!.score).toBeCloseTo(p(8), 12);
  });
  it("average: mean of the sub-tokens' probabilities", () => {
    const got = tokenClassificationPostprocess({ ...base, aggregationStrategy: 'average' });
    expect(got[0]).toMatchObject({ entity_group: 'LOC', start: 0, end: 4 });
    expect(got[0]!.score).toBeCloseTo(p(8) / 2 + (1 - p(hi)) / 4 / 2, 12);
  });
  it('simple: B- starts a group, a different tag ends it, O is ignored', () => {
    const got = tokenClassificationPostprocess({ ...base, aggregationStrategy: 'simple' });
    expect(got.map((e) => ('entity_group' in e ? [e.entity_group, e.start, e.end] : []))).toEqual([
      ['PER', 0, 2],
      ['LOC', 2, 4],
      ['LOC', 11, 16],
    ]);
    const kept = tokenClassificationPostprocess({ ...base, aggregationStrategy: 'simple', ignoreLabels: [] });
    expect(kept.map((e) => ('entity_group' in e ? e.entity_group : ''))).toEqual(['PER', 'LOC', 'O', 'LOC']);
  });
});

/** The span a brute-force search finds: context tokens only, 0 <= e - s < maxLen, maximal start + end logit. */
function bestSpan(start: ArrayLike<number>, end: ArrayLike<number>, ctx: boolean[], maxLen: number): [number, number] {
  let best: [number, number] = [-1, -1];
  let bestV = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < start.length; s++) {
    for (let e = s; e < Math.min(start.length, s + maxLen); e++) {
      if (ctx[s] && ctx[e] && start[s]! + end[e]! > bestV) {
        bestV = start[s]! + end[e]!;
        best = [s, e];
      }
    }
  }
  return best;
}

describe('question-answering post-processing', () => {
  for (const c of [...cases('AlbertForQuestionAnswering'), ...cases('AlbertForQuestionAnswering', 'sdpa')]) {
    for (const maxAnswerLen of [1, 2, 15]) {
      it(`${c.id}: answer = the context span maximizing start+end within max_answer_len ${maxAnswerLen}`, () => {
        const { inp, out } = load(c);
        const [B, S] = out.get('start_logits')!.shape as [number, number];
        for (let b = 0; b < B; b++) {
          const inputIds = ids(inp.get('input_ids'), b, S);
          const types = ids(inp.get('token_type_ids'), b, S);
          const ctx = inputIds.map((t, i) => types[i] === 1 && t !== SEP && t !== PAD);
          const pMask = inputIds.map((t, i) => (ctx[i] || t === CLS ? 0 : 1));
          const offsets = inputIds.map((_, i) => [i * 10, i * 10 + 5] as [number, number]);
          const context = 'x'.repeat(S * 10);
          const sl = f32(out.get('start_logits')).subarray(b * S, (b + 1) * S);
          const el = f32(out.get('end_logits')).subarray(b * S, (b + 1) * S);
          const win = {
            startLogits: sl,
            endLogits: el,
            pMask,
            attentionMask: ids(inp.get('attention_mask'), b, S),
            offsets,
          };
          const [got] = questionAnsweringPostprocess({ context, windows: [win], maxAnswerLen });
          const [s, e] = bestSpan(sl, el, ctx, maxAnswerLen);
          expect([got!.start, got!.end]).toEqual([s * 10, e * 10 + 5]);
          const allowed = inputIds.map((_, i) => ctx[i] || inputIds[i] === CLS);
          const lp = (x: ArrayLike<number>, i: number) =>
            logProb(
              Array.from(x, (v, j) => (allowed[j] ? v : -10000)),
              i,
            );
          expect(Math.abs(got!.score - Math.exp(lp(sl, s) + lp(el, e)))).toBeLessThan(1e-9);
          // handle_impossible_answer: the null answer competes with score p_start[CLS] × p_end[CLS]
          const withNull = questionAnsweringPostprocess({
            context,
            windows: [win],
            maxAnswerLen,
            handleImpossibleAnswer: true,
            topK: 20,
          });
          const nullScore = Math.exp(lp(sl, 0) + lp(el, 0));
          const n = withNull.find((a) => a.answer === '' && a.start === 0 && a.end === 0)!;
          expect(Math.abs(n.score - nullScore)).toBeLessThan(1e-12);
          // topK: answers ranked, the first one unchanged; two windows pool their answers
          const two = questionAnsweringPostprocess({ context, windows: [win, win], maxAnswerLen, topK: 3 });
          expect(two[0]).toEqual(got);
          expect(two[1]!.score).toBe(got!.score);
          for (let i = 1; i < two.length; i++) expect(two[i]!.score).toBeLessThanOrEqual(two[i - 1]!.score);
        }
      });
    }
  }
});

describe('multiple-choice, sentence-order, feature-extraction post-processing', () => {
  for (const c of cases('AlbertForMultipleChoice')) {
    it(`${c.id}: choices ranked by logit`, () => {
      const { out } = load(c);
      const [B, C] = out.get('logits')!.shape as [number, number];
      for (let b = 0; b < B; b++) {
        const x = f32(out.get('logits')).subarray(b * C, (b + 1) * C);
        const got = multipleChoicePostprocess({ logits: x, choices: ['a', 'b', 'c'] });
        expect(got.map((r) => r.index)).toEqual([...x.keys()].sort((i, j) => x[j]! - x[i]!));
        for (const r of got) expect(Math.abs(r.score - Math.exp(logProb(x, r.index)))).toBeLessThan(1e-9);
      }
    });
  }
  for (const c of cases('AlbertForPreTraining')) {
    it(`${c.id}: sentence order from sop_logits`, () => {
      const { out } = load(c);
      const x = f32(out.get('sop_logits'));
      for (let b = 0; b < x.length / 2; b++) {
        const r = sentenceOrderPostprocess(x.subarray(2 * b, 2 * b + 2));
        expect(r.label).toBe(x[2 * b + 1]! > x[2 * b]! ? 'swapped' : 'in_order');
        expect(Math.abs(r.scores.swapped - Math.exp(logProb(x.subarray(2 * b, 2 * b + 2), 1)))).toBeLessThan(1e-9);
      }
    });
  }
  for (const c of cases('AlbertModel')) {
    it(`${c.id}: CLS = pooled row 0, mean over attended tokens, unit norm`, () => {
      const { inp, out } = load(c);
      const h = toFloat32(out.get('last_hidden_state')!);
      const [B, S, H] = h.shape as [number, number, number];
      const mask = Array.from({ length: B }, (_, b) => ids(inp.get('attention_mask'), b, S));
      const cls = featureExtractionPostprocess({ lastHiddenState: h, attentionMask: mask, pooling: 'cls' });
      const mean = featureExtractionPostprocess({
        lastHiddenState: h,
        attentionMask: mask,
        pooling: 'mean',
        normalize: true,
      });
      expect(cls.shape).toEqual([B, H]);
      for (let b = 0; b < B; b++) {
        expect(Array.from(cls.data.subarray(b * H, (b + 1) * H))).toEqual(
          Array.from(h.data.subarray(b * S * H, b * S * H + H)),
        );
        const n = mask[b]!.reduce((a, v) => a + v, 0);
        const m = Array.from(
          { length: H },
          (_, j) => mask[b]!.reduce((a, v, s) => a + v * h.data[(b * S + s) * H + j]!, 0) / n,
        );
        const norm = Math.hypot(...m);
        for (const [j, v] of m.entries()) expect(Math.abs(mean.data[b * H + j]! - v / norm)).toBeLessThan(1e-6);
      }
    });
  }
});
