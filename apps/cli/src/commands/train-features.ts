// Rows → model features for each `albert train` task, as transformers' example scripts prepare them:
// run_glue.py (labels sorted, problem type from the label column), run_ner.py (the first piece of each word
// labelled, the rest -100), run_qa.py prepare_train_features (question + context windows of max_length with
// doc_stride overlap; the answer span mapped into each window, or [CLS] when the window does not hold it),
// run_swag.py (one pair per choice) and run_mlm.py (tokenized lines; masks drawn at batch time).
// https://github.com/huggingface/transformers/blob/v4.57.1/examples/pytorch/question-answering/run_qa.py (prepare_train_features)
import type { HeadName, ProblemType } from '@albertjs/core';
import type { PipelineTokenizer } from '@albertjs/pipelines';
import { CliError, EXIT } from '../exit-codes.js';
import { column, listColumn, type Row } from './train-data.js';

export const TRAIN_TASKS = [
  'text-classification',
  'token-classification',
  'question-answering',
  'multiple-choice',
  'mlm',
] as const;
export type TrainTask = (typeof TRAIN_TASKS)[number];

export const TASK_HEADS: Record<TrainTask, HeadName> = {
  'text-classification': 'AlbertForSequenceClassification',
  'token-classification': 'AlbertForTokenClassification',
  'question-answering': 'AlbertForQuestionAnswering',
  'multiple-choice': 'AlbertForMultipleChoice',
  mlm: 'AlbertForMaskedLM',
};

/** One model input: one row of ids per choice (one row except for multiple choice). */
export interface Feature {
  ids: number[][];
  typeIds: number[][];
  /** Index of the example (row) this feature came from. */
  example: number;
  /** Sequence classification: class id, multi-hot or value; multiple choice: the right choice. */
  label?: number | number[];
  /** Token classification: one label per token (-100 ignored). */
  tokenLabels?: number[];
  start?: number;
  end?: number;
  /** Token classification: word index per token (null on special tokens and following pieces). */
  wordIds?: (number | null)[];
}

export interface ColumnOptions {
  textColumn?: string;
  textPairColumn?: string;
  labelColumn?: string;
  tokensColumn?: string;
  questionColumn?: string;
  contextColumn?: string;
  answersColumn?: string;
  choiceColumns?: string;
  problemType?: ProblemType;
  maxLength: number;
  docStride?: number;
}

export interface LabelInfo {
  /** Label names by id (absent for regression and MLM / QA). */
  labels?: string[];
  problemType?: ProblemType;
}

function bad(msg: string): never {
  throw new CliError(msg, EXIT.BAD_INPUT);
}

function pick(row: Row, wanted: string | undefined, defaults: string[], what: string): string {
  if (wanted) return wanted;
  const hit = defaults.find((c) => c in row);
  if (!hit)
    bad(
      `no ${what} column: pass --${what}-column (looked for ${defaults.join(', ')}; columns: ${Object.keys(row).join(', ')})`,
    );
  return hit;
}

function text(row: Row, col: string, i: number): string {
  const v = column(row, col, i);
  if (typeof v !== 'string') bad(`row ${i + 1}: column ${JSON.stringify(col)} = ${JSON.stringify(v)} is not text`);
  return v;
}

/** Sorted label names (numerically when every label is an integer, as ClassLabel ids are). */
export function sortLabels(values: Iterable<unknown>): string[] {
  const set = [...new Set([...values].map(String))];
  const numeric = set.every((s) => /^-?\d+$/.test(s));
  return set.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

/** The problem type run_glue.py infers: lists → multi-label, non-integer numbers → regression, else single-label. */
export function inferProblemType(values: unknown[]): ProblemType {
  if (values.some((v) => Array.isArray(v))) return 'multi_label_classification';
  const nums = values.map((v) =>
    typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN,
  );
  if (nums.every((n) => Number.isFinite(n)) && nums.some((n) => !Number.isInteger(n))) return 'regression';
  return 'single_label_classification';
}

export interface TaskData {
  features: Feature[];
  info: LabelInfo;
}

export interface Featurizer {
  tokenizer: PipelineTokenizer;
  options: ColumnOptions;
  /** The label names to use (a fine-tuned model's, or the training split's for the eval split). */
  labels?: string[];
}

function classLabel(v: unknown, index: Map<string, number>, row: number, col: string): number {
  const id = index.get(String(v));
  if (id === undefined)
    bad(
      `row ${row + 1}: label ${JSON.stringify(v)} in column ${JSON.stringify(col)} is not one of the training labels ${JSON.stringify([...index.keys()])}`,
    );
  return id;
}

function textClassification(rows: Row[], f: Featurizer): TaskData {
  const o = f.options;
  const textCol = pick(rows[0]!, o.textColumn, ['text', 'sentence', 'sentence1', 'question', 'premise'], 'text');
  const pairCol = o.textPairColumn ?? (['sentence2', 'hypothesis'].find((c) => c in rows[0]!) as string | undefined);
  const labelCol = pick(rows[0]!, o.labelColumn, ['label', 'labels'], 'label');
  const raw = rows.map((r, i) => column(r, labelCol, i));
  const problemType = o.problemType ?? inferProblemType(raw);
  let labels: string[] | undefined;
  if (problemType !== 'regression')
    labels =
      f.labels ??
      sortLabels(
        problemType === 'multi_label_classification' ? raw.flatMap((v, i) => listColumn({ l: v }, 'l', i)) : raw,
      );
  const index = new Map((labels ?? []).map((l, i) => [l, i]));
  const features = rows.map((r, i): Feature => {
    const [enc] = f.tokenizer.encode(text(r, textCol, i), {
      ...(pairCol ? { textPair: text(r, pairCol, i) } : {}),
      truncation: 'longest_first',
      maxLength: o.maxLength,
    });
    let label: number | number[];
    if (problemType === 'regression') {
      label = Number(raw[i]);
      if (!Number.isFinite(label)) bad(`row ${i + 1}: regression label ${JSON.stringify(raw[i])} is not a number`);
    } else if (problemType === 'multi_label_classification') {
      label = new Array<number>(index.size).fill(0);
      for (const v of listColumn({ l: raw[i] }, 'l', i)) (label as number[])[classLabel(v, index, i, labelCol)] = 1;
    } else label = classLabel(raw[i], index, i, labelCol);
    return { ids: [enc!.input_ids], typeIds: [enc!.token_type_ids], example: i, label };
  });
  return { features, info: { ...(labels ? { labels } : {}), problemType } };
}

function tokenClassification(rows: Row[], f: Featurizer): TaskData {
  const o = f.options;
  const tokCol = pick(rows[0]!, o.tokensColumn, ['tokens', 'words'], 'tokens');
  const labelCol = pick(rows[0]!, o.labelColumn, ['ner_tags', 'tags', 'pos_tags', 'labels', 'label'], 'label');
  const labels = f.labels ?? sortLabels(rows.flatMap((r, i) => listColumn(r, labelCol, i)));
  const index = new Map(labels.map((l, i) => [l, i]));
  const t = f.tokenizer;
  const features = rows.map((r, i): Feature => {
    const words = listColumn(r, tokCol, i).map(String);
    const tags = listColumn(r, labelCol, i);
    if (tags.length !== words.length)
      bad(
        `row ${i + 1}: ${words.length} tokens in ${JSON.stringify(tokCol)} but ${tags.length} labels in ${JSON.stringify(labelCol)}`,
      );
    // is_split_into_words: each word tokenized on its own (with the ▁ word prefix)
    const ids = [t.clsTokenId];
    const tokenLabels = [-100];
    const wordIds: (number | null)[] = [null];
    for (const [w, word] of words.entries()) {
      const pieces = t.encodeIds(word);
      if (ids.length + pieces.length > o.maxLength - 1) break;
      pieces.forEach((id, k) => {
        ids.push(id);
        tokenLabels.push(k === 0 ? classLabel(tags[w], index, i, labelCol) : -100);
        wordIds.push(k === 0 ? w : null);
      });
    }
    ids.push(t.sepTokenId);
    tokenLabels.push(-100);
    wordIds.push(null);
    return { ids: [ids], typeIds: [ids.map(() => 0)], example: i, tokenLabels, wordIds };
  });
  return { features, info: { labels } };
}

/** SQuAD answers of a row: `{text: [], answer_start: []}` or a list of `{text, answer_start}`. */
export function answersOf(row: Row, col: string, i: number): { text: string[]; answer_start: number[] } {
  const a = column(row, col, i) as unknown;
  if (Array.isArray(a))
    return {
      text: a.map((x) => String((x as Row).text)),
      answer_start: a.map((x) => Number((x as Row).answer_start)),
    };
  if (a && typeof a === 'object' && Array.isArray((a as Row).text) && Array.isArray((a as Row).answer_start))
    return a as { text: string[]; answer_start: number[] };
  bad(
    `row ${i + 1}: column ${JSON.stringify(col)} = ${JSON.stringify(a)} is not SQuAD answers ({text: [], answer_start: []})`,
  );
}

export interface QaColumns {
  question: string;
  context: string;
  answers: string;
}

export function qaColumns(row: Row, o: ColumnOptions): QaColumns {
  return {
    question: pick(row, o.questionColumn, ['question'], 'question'),
    context: pick(row, o.contextColumn, ['context'], 'context'),
    answers: pick(row, o.answersColumn, ['answers'], 'answers'),
  };
}

function questionAnswering(rows: Row[], f: Featurizer): TaskData {
  const o = f.options;
  const cols = qaColumns(rows[0]!, o);
  const stride = o.docStride ?? Math.min(128, Math.floor(o.maxLength / 4));
  const features: Feature[] = [];
  for (const [i, r] of rows.entries()) {
    const question = text(r, cols.question, i).replace(/^\s+/, ''); // run_qa strips the question's left whitespace
    const context = text(r, cols.context, i);
    const answers = answersOf(r, cols.answers, i);
    const windows = f.tokenizer.encode(question, {
      textPair: context,
      truncation: 'only_second',
      maxLength: o.maxLength,
      stride,
      returnOverflowingTokens: true,
    });
    for (const w of windows) {
      const cls = w.input_ids.indexOf(f.tokenizer.clsTokenId);
      let start = cls;
      let end = cls;
      if (answers.answer_start.length) {
        const startChar = answers.answer_start[0]!;
        const endChar = startChar + answers.text[0]!.length;
        let ts = w.sequence_ids.indexOf(1);
        let te = w.sequence_ids.lastIndexOf(1);
        if (ts >= 0 && w.offsets[ts]![0] <= startChar && w.offsets[te]![1] >= endChar) {
          while (ts < w.offsets.length && w.sequence_ids[ts] === 1 && w.offsets[ts]![0] <= startChar) ts++;
          start = ts - 1;
          while (te >= 0 && w.sequence_ids[te] === 1 && w.offsets[te]![1] >= endChar) te--;
          end = te + 1;
        }
      }
      features.push({ ids: [w.input_ids], typeIds: [w.token_type_ids], example: i, start, end });
    }
  }
  return { features, info: {} };
}

function multipleChoice(rows: Row[], f: Featurizer): TaskData {
  const o = f.options;
  const ctxCol = pick(rows[0]!, o.contextColumn, ['sent1', 'context', 'question', 'prompt', 'startphrase'], 'context');
  const labelCol = pick(rows[0]!, o.labelColumn, ['label', 'answer'], 'label');
  const choiceCols = o.choiceColumns?.split(',').map((s) => s.trim());
  const endings = Object.keys(rows[0]!).filter((c) => /^ending\d+$/.test(c));
  const features = rows.map((r, i): Feature => {
    const choices = choiceCols
      ? choiceCols.map((c) => text(r, c, i))
      : endings.length
        ? endings.map((c) => text(r, c, i))
        : listColumn(r, 'choices', i).map(String);
    if (choices.length < 2) bad(`row ${i + 1} has ${choices.length} choice(s); multiple choice needs at least 2`);
    const ctx = text(r, ctxCol, i);
    const prefix = typeof r.sent2 === 'string' && !choiceCols ? `${r.sent2} ` : ''; // run_swag: sent2 + ending
    const encs = choices.map(
      (c) =>
        f.tokenizer.encode(ctx, { textPair: `${prefix}${c}`, truncation: 'longest_first', maxLength: o.maxLength })[0]!,
    );
    const label = Number(column(r, labelCol, i));
    if (!Number.isInteger(label) || label < 0 || label >= choices.length)
      bad(`row ${i + 1}: label ${JSON.stringify(r[labelCol])} is not a choice index in [0, ${choices.length})`);
    return { ids: encs.map((e) => e.input_ids), typeIds: encs.map((e) => e.token_type_ids), example: i, label };
  });
  return { features, info: {} };
}

function mlm(rows: Row[], f: Featurizer): TaskData {
  const col = pick(rows[0]!, f.options.textColumn, ['text', 'sentence', 'content'], 'text');
  const features = rows.flatMap((r, i): Feature[] => {
    const t = text(r, col, i);
    if (!t.trim()) return []; // run_mlm line_by_line skips empty lines
    const [enc] = f.tokenizer.encode(t, { truncation: 'longest_first', maxLength: f.options.maxLength });
    return [{ ids: [enc!.input_ids], typeIds: [enc!.token_type_ids], example: i }];
  });
  return { features, info: {} };
}

const TASKS: Record<TrainTask, (rows: Row[], f: Featurizer) => TaskData> = {
  'text-classification': textClassification,
  'token-classification': tokenClassification,
  'question-answering': questionAnswering,
  'multiple-choice': multipleChoice,
  mlm,
};

export function featurize(task: TrainTask, rows: Row[], f: Featurizer): TaskData {
  if (!rows.length) bad('no rows to train on');
  return TASKS[task](rows, f);
}
