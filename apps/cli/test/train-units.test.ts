// The pieces of `albert train` against their references: seqeval's get_entities / classification scores (values
// from seqeval's README and tests), the SQuAD v1.1 script's EM / F1, sklearn's macro F1, run_qa.py's
// prepare_train_features span mapping, run_ner.py's first-piece labelling, the data readers and the MLM masking.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelPath, loadTokenizer } from '@albertjs/pipelines';
import { afterAll, describe, expect, it } from 'vitest';
import { maskTokens } from '../src/commands/train-collate.js';
import { readDataFile } from '../src/commands/train-data.js';
import { featurize, inferProblemType, sortLabels } from '../src/commands/train-features.js';
import {
  accuracy,
  entityF1,
  getEntities,
  macroF1,
  normalizeAnswer,
  squadScores,
} from '../src/commands/train-metrics.js';
import { epochOrder } from '../src/commands/train-run.js';

const tmp = mkdtempSync(join(tmpdir(), 'albert-train-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('metrics', () => {
  it('seqeval get_entities (README example) and entity F1', () => {
    expect(getEntities(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([
      ['PER', 0, 1],
      ['LOC', 3, 3],
    ]);
    // IOB1 / mixed: an I- after O starts a chunk; a type change ends one
    expect(getEntities(['I-PER', 'I-LOC', 'O', 'S-MISC', 'B-ORG', 'E-ORG'])).toEqual([
      ['PER', 0, 0],
      ['LOC', 1, 1],
      ['MISC', 3, 3],
      ['ORG', 4, 5],
    ]);
    // seqeval README: y_true / y_pred → f1 0.50, precision 0.50, recall 0.50
    const yTrue = [
      ['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    const yPred = [
      ['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'],
      ['B-PER', 'I-PER', 'O'],
    ];
    expect(entityF1(yPred, yTrue)).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('SQuAD v1.1 normalisation, exact match and F1 (best over the gold answers)', () => {
    expect(normalizeAnswer('The  Eiffel-Tower, in Paris!')).toBe('eiffeltower in paris');
    expect(squadScores(['the Denver Broncos'], [['Denver Broncos', 'Broncos']])).toEqual({ exact_match: 100, f1: 100 });
    const s = squadScores(['Denver'], [['Denver Broncos']]);
    expect(s.exact_match).toBe(0);
    expect(s.f1).toBeCloseTo((100 * 2 * 1 * 0.5) / 1.5, 10);
  });

  it('accuracy and sklearn macro F1', () => {
    // sklearn.metrics.f1_score([0,1,2,0,1,2], [0,2,1,0,0,1], average='macro') = 0.26666…
    expect(macroF1([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2])).toBeCloseTo(0.26666666666666666, 12);
    expect(accuracy([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2])).toBeCloseTo(2 / 6, 12);
  });
});

describe('features', async () => {
  const tokenizer = await loadTokenizer(defaultModelPath());

  it('question answering: every doc_stride window maps the answer span, or points at [CLS] (run_qa.py)', () => {
    const context = 'john was born in paris. later he moved to berlin to study music and art for many years there.';
    const rows = [
      {
        question: 'where did he study?',
        context,
        answers: { text: ['berlin'], answer_start: [context.indexOf('berlin')] },
      },
    ];
    const { features } = featurize('question-answering', rows, { tokenizer, options: { maxLength: 20, docStride: 6 } });
    expect(features.length).toBeGreaterThan(1);
    const windows = tokenizer.encode('where did he study?', {
      textPair: context,
      truncation: 'only_second',
      maxLength: 20,
      stride: 6,
      returnOverflowingTokens: true,
    });
    expect(windows.length).toBe(features.length);
    let found = 0;
    features.forEach((f, w) => {
      const enc = windows[w]!;
      expect(f.ids[0]).toEqual(enc.input_ids);
      if (f.start === 0) {
        expect(f.end).toBe(0); // [CLS]
        const inWindow = enc.offsets.some(
          (o, i) => enc.sequence_ids[i] === 1 && o[0] <= context.indexOf('berlin') && o[1] > context.indexOf('berlin'),
        );
        const whole =
          enc.offsets.some((o, i) => enc.sequence_ids[i] === 1 && o[1] >= context.indexOf('berlin') + 6) && inWindow;
        expect(whole).toBe(false);
      } else {
        found++;
        expect(context.slice(enc.offsets[f.start!]![0], enc.offsets[f.end!]![1])).toBe('berlin');
      }
    });
    expect(found).toBeGreaterThan(0);
  });

  it('token classification labels the first piece of each word, -100 on the rest and on [CLS] / [SEP]', () => {
    const rows = [{ tokens: ['johnathan', 'visited', 'paris'], ner_tags: ['B-PER', 'O', 'B-LOC'] }];
    const { features, info } = featurize('token-classification', rows, { tokenizer, options: { maxLength: 32 } });
    expect(info.labels).toEqual(['B-LOC', 'B-PER', 'O']);
    const f = features[0]!;
    const pieces = ['johnathan', 'visited', 'paris'].map((w) => tokenizer.encodeIds(w));
    expect(f.ids[0]).toEqual([tokenizer.clsTokenId, ...pieces.flat(), tokenizer.sepTokenId]);
    const want = [-100];
    for (const [w, p] of pieces.entries()) want.push([1, 2, 0][w]!, ...p.slice(1).map(() => -100));
    want.push(-100);
    expect(f.tokenLabels).toEqual(want);
  });

  it('labels: sorted (numerically for ids), problem type from the column (run_glue.py)', () => {
    expect(sortLabels(['pos', 'neg', 'pos'])).toEqual(['neg', 'pos']);
    expect(sortLabels(['10', '9', '1'])).toEqual(['1', '9', '10']);
    expect(inferProblemType(['0.5', '1.25'])).toBe('regression');
    expect(inferProblemType(['1', '0'])).toBe('single_label_classification');
    expect(inferProblemType([['a'], []])).toBe('multi_label_classification');
  });
});

describe('data and masking', () => {
  it('reads CSV with quoted fields, TSV, JSON Lines and SQuAD JSON; names bad lines', () => {
    const csv = join(tmp, 'a.csv');
    writeFileSync(csv, 'text,label\n"hello, ""world""",1\nbye,0\n');
    expect(readDataFile(csv)).toEqual([
      { text: 'hello, "world"', label: '1' },
      { text: 'bye', label: '0' },
    ]);
    const tsv = join(tmp, 'a.tsv');
    writeFileSync(tsv, 'text\tlabel\nit\'s "fine"\t1\n');
    expect(readDataFile(tsv)).toEqual([{ text: 'it\'s "fine"', label: '1' }]);
    const jsonl = join(tmp, 'a.jsonl');
    writeFileSync(jsonl, '{"text": "a"}\n\n{"text": "b"\n');
    expect(() => readDataFile(jsonl)).toThrow(/a\.jsonl:3: not a JSON object/);
    const squad = join(tmp, 's.json');
    writeFileSync(
      squad,
      JSON.stringify({
        data: [
          {
            title: 'T',
            paragraphs: [
              { context: 'c', qas: [{ id: '1', question: 'q', answers: [{ text: 'c', answer_start: 0 }] }] },
            ],
          },
        ],
      }),
    );
    expect(readDataFile(squad)).toEqual([
      { id: '1', title: 'T', context: 'c', question: 'q', answers: { text: ['c'], answer_start: [0] } },
    ]);
  });

  it('MLM masking: 15 % of non-special tokens, 80 / 10 / 10, labels -100 elsewhere', () => {
    let s = 1;
    const rand = () => {
      s = (s * 48271) % 2147483647;
      return s / 2147483647;
    };
    const ids = Array.from({ length: 20000 }, (_, i) => (i % 50 === 0 ? 2 : 5 + (i % 90)));
    const [input, labels] = maskTokens(
      ids,
      { maskId: 4, vocabSize: 100, special: new Set([2]), randFor: () => rand },
      rand,
    );
    const targets = labels.filter((l) => l !== -100).length;
    const eligible = ids.filter((x) => x !== 2).length;
    expect(Math.abs(targets / eligible - 0.15)).toBeLessThan(0.01);
    ids.forEach((x, i) => {
      if (x === 2) expect(labels[i]).toBe(-100);
      if (labels[i] === -100) expect(input[i]).toBe(x);
    });
    const masked = input.filter((x, i) => labels[i] !== -100 && x === 4).length;
    expect(Math.abs(masked / targets - 0.8)).toBeLessThan(0.03);
  });

  it('epoch order: a seeded permutation per epoch', () => {
    const a = epochOrder(10, 1, 0);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochOrder(10, 1, 0)).toEqual(a);
    expect(epochOrder(10, 1, 1)).not.toEqual(a);
  });
});
