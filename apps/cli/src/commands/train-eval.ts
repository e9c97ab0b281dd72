// Evaluation of a model being trained: mean loss over the eval features and the task's metrics (see train-metrics.ts).
// Question answering runs the question-answering pipeline on the model (doc_stride windows, span scoring) and scores
// the answers as the SQuAD v1.1 script does.
import type { AlbertModelHandle, HeadName, Tensor } from '@albertjs/core';
import { type PipelineTokenizer, QuestionAnsweringPipeline } from '@albertjs/pipelines';
import { type CollateOptions, collate } from './train-collate.js';
import type { Row } from './train-data.js';
import {
  answersOf,
  type ColumnOptions,
  type Feature,
  type LabelInfo,
  qaColumns,
  type TrainTask,
} from './train-features.js';
import { accuracy, entityF1, macroF1, squadScores } from './train-metrics.js';

export type Metrics = Record<string, number>;

function argmaxRows(t: Tensor<Float32Array>): number[] {
  const L = t.shape.at(-1)!;
  const out: number[] = [];
  for (let r = 0; r < t.data.length / L; r++) {
    let best = 0;
    for (let j = 1; j < L; j++) if (t.data[r * L + j]! > t.data[r * L + best]!) best = j;
    out.push(best);
  }
  return out;
}

export interface EvalContext {
  task: TrainTask;
  model: AlbertModelHandle<HeadName>;
  features: Feature[];
  rows: Row[];
  info: LabelInfo;
  collate: CollateOptions;
  batchSize: number;
  tokenizer: PipelineTokenizer;
  columns: ColumnOptions;
}

/** `eval_loss` and the task metrics (HF's `eval_` prefix). */
export async function evaluateModel(c: EvalContext): Promise<Metrics> {
  let lossSum = 0;
  let n = 0;
  const pred: number[] = [];
  const gold: number[] = [];
  const tagPred: string[][] = [];
  const tagGold: string[][] = [];
  let se = 0;
  for (let b = 0; b < c.features.length; b += c.batchSize) {
    const feats = c.features.slice(b, b + c.batchSize);
    const inputs = collate(c.task, feats, c.collate);
    const out = (await c.model.forward(inputs)) as unknown as Record<string, Tensor<Float32Array>>;
    if (out.loss) {
      lossSum += out.loss.data[0]! * feats.length;
      n += feats.length;
    }
    if (c.task === 'question-answering') continue;
    const logits = out.logits!;
    if (c.task === 'text-classification' && c.info.problemType === 'regression') {
      feats.forEach((f, i) => {
        se += (logits.data[i]! - (f.label as number)) ** 2;
      });
    } else if (c.task === 'text-classification' && c.info.problemType === 'multi_label_classification') {
      const L = logits.shape.at(-1)!;
      feats.forEach((f, i) => {
        for (let j = 0; j < L; j++) {
          pred.push(logits.data[i * L + j]! > 0 ? 1 : 0); // sigmoid > 0.5
          gold.push((f.label as number[])[j]!);
        }
      });
    } else if (c.task === 'token-classification') {
      const p = argmaxRows(logits); // [B·S]
      const S = logits.shape[1]!;
      feats.forEach((f, i) => {
        const ps: string[] = [];
        const gs: string[] = [];
        f.tokenLabels!.forEach((l, k) => {
          if (l === -100) return;
          pred.push(p[i * S + k]!);
          gold.push(l);
          ps.push(c.info.labels![p[i * S + k]!]!);
          gs.push(c.info.labels![l]!);
        });
        tagPred.push(ps);
        tagGold.push(gs);
      });
    } else if (c.task === 'mlm') {
      const p = argmaxRows(logits);
      (inputs.labels as number[][]).flat().forEach((l, k) => {
        if (l === -100) return;
        pred.push(p[k]!);
        gold.push(l);
      });
    } else {
      argmaxRows(logits).forEach((p, i) => {
        pred.push(p);
        gold.push(feats[i]!.label as number);
      });
    }
  }
  const m: Metrics = {};
  if (n) m.eval_loss = lossSum / n;
  if (c.task === 'text-classification' && c.info.problemType === 'regression') {
    m.eval_mse = se / c.features.length;
    return m;
  }
  if (c.task === 'question-answering') {
    const cols = qaColumns(c.rows[0]!, c.columns);
    const qa = new QuestionAnsweringPipeline({
      model: c.model as AlbertModelHandle<'AlbertForQuestionAnswering'>,
      config: c.model.config,
      tokenizer: c.tokenizer,
      batchSize: c.batchSize,
      maxLength: c.columns.maxLength,
    });
    const answers = await qa.run(
      c.rows.map((r) => ({ question: String(r[cols.question]), context: String(r[cols.context]) })),
      { maxSeqLen: c.columns.maxLength, ...(c.columns.docStride ? { docStride: c.columns.docStride } : {}) },
    );
    const s = squadScores(
      answers.map((a) => (Array.isArray(a) ? a[0]?.answer : a.answer) ?? ''),
      c.rows.map((r, i) => answersOf(r, cols.answers, i).text),
    );
    return { ...m, eval_exact_match: s.exact_match, eval_f1: s.f1 };
  }
  m.eval_accuracy = accuracy(pred, gold);
  if (c.task === 'mlm') {
    if (m.eval_loss !== undefined) m.eval_perplexity = Math.exp(m.eval_loss);
    return m;
  }
  if (c.task !== 'multiple-choice') m.eval_macro_f1 = macroF1(pred, gold);
  if (c.task === 'token-classification' && c.info.labels!.some((l) => /^[BIES]-/.test(l))) {
    const e = entityF1(tagPred, tagGold);
    m.eval_precision = e.precision;
    m.eval_recall = e.recall;
    m.eval_f1 = e.f1;
  }
  return m;
}
