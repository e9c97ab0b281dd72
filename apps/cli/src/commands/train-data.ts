// Training data for `albert train`: rows with named columns from CSV / TSV (csv-parse), JSON Lines, a JSON array,
// SQuAD-style JSON, or a local folder in the Hub datasets layout (data files named by split, as load_dataset(folder)
// finds them: train.csv, data/train-00000-of-00001.jsonl, validation.json …).
// https://huggingface.co/docs/datasets/main/en/repository_structure
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from '../exit-codes.js';

export type Row = Record<string, unknown>;

const DATA_EXT = ['.csv', '.tsv', '.jsonl', '.json'];

function bad(msg: string): never {
  throw new CliError(msg, EXIT.BAD_INPUT);
}

/** SQuAD v1/v2 JSON (`{data: [{paragraphs: [{context, qas: [{id, question, answers}]}]}]}`) as flat rows. */
function squadRows(doc: { data: unknown }, file: string): Row[] {
  if (!Array.isArray(doc.data)) bad(`${file}: "data" is not an array of articles`);
  const rows: Row[] = [];
  for (const [a, art] of (doc.data as { title?: string; paragraphs?: unknown }[]).entries()) {
    if (!Array.isArray(art.paragraphs)) bad(`${file}: data[${a}].paragraphs is not an array`);
    for (const p of art.paragraphs as { context: string; qas: Row[] }[]) {
      for (const qa of p.qas ?? []) {
        const answers = (qa.answers as { text: string; answer_start: number }[] | undefined) ?? [];
        rows.push({
          id: qa.id,
          title: art.title ?? '',
          context: p.context,
          question: qa.question,
          answers: { text: answers.map((x) => x.text), answer_start: answers.map((x) => x.answer_start) },
        });
      }
    }
  }
  return rows;
}

function parseJsonFile(text: string, file: string): Row[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // not one JSON value: JSON Lines
    return parseJsonl(text, file);
  }
  if (Array.isArray(doc)) return doc as Row[];
  if (doc && typeof doc === 'object' && 'data' in doc) {
    const d = (doc as { data: unknown }).data;
    if (Array.isArray(d) && d.every((x) => x && typeof x === 'object' && 'paragraphs' in x))
      return squadRows(doc as { data: unknown }, file);
    if (Array.isArray(d)) return d as Row[];
  }
  bad(`${file}: expected JSON Lines, an array of rows, {"data": [rows]} or SQuAD JSON`);
}

function parseJsonl(text: string, file: string): Row[] {
  const rows: Row[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch (e) {
      bad(`${file}:${i + 1}: not a JSON object: ${(e as Error).message}`);
    }
  }
  return rows;
}

/** Rows of one data file (by extension). */
export function readDataFile(file: string): Row[] {
  if (!existsSync(file)) bad(`data file ${file} does not exist`);
  const ext = extname(file).toLowerCase();
  const text = readFileSync(file, 'utf8');
  let rows: Row[];
  if (ext === '.csv' || ext === '.tsv') {
    try {
      rows = parse(text, {
        columns: true,
        delimiter: ext === '.tsv' ? '\t' : ',',
        skip_empty_lines: true,
        bom: true,
        quote: ext === '.tsv' ? false : '"',
      }) as Row[];
    } catch (e) {
      bad(`${file}: ${(e as Error).message}`);
    }
  } else if (ext === '.jsonl') rows = parseJsonl(text, file);
  else if (ext === '.json') rows = parseJsonFile(text, file);
  else bad(`data file ${file}: unknown format ${JSON.stringify(ext)}; expected ${DATA_EXT.join(', ')}`);
  if (!rows.length) bad(`data file ${file} has no rows`);
  for (const [i, r] of rows.entries())
    if (!r || typeof r !== 'object' || Array.isArray(r))
      bad(`${file}: row ${i + 1} is not an object with named columns`);
  return rows;
}

/** Split names as load_dataset's folder builder recognises them. */
const SPLIT_NAMES: Record<string, string[]> = {
  train: ['train', 'training'],
  validation: ['validation', 'valid', 'val', 'dev', 'eval'],
  test: ['test', 'testing'],
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (DATA_EXT.includes(extname(e.name).toLowerCase())) out.push(p);
  }
  return out.sort();
}

/** The data files of `split` in a Hub-layout dataset folder (file or directory named by the split). */
export function splitFiles(dir: string, split: keyof typeof SPLIT_NAMES): string[] {
  const names = SPLIT_NAMES[split]!;
  return walk(dir).filter((f) => {
    const parts = relative(dir, f).toLowerCase().split(/[\\/]/);
    const base = parts.at(-1)!.replace(/\.[^.]+$/, '');
    const stem = base.split(/[-_.]/)[0]!;
    return names.includes(stem) || parts.slice(0, -1).some((d) => names.includes(d));
  });
}

/** Rows of a data file, or of `split` of a dataset folder. */
export function readDataset(spec: string, split: keyof typeof SPLIT_NAMES = 'train'): Row[] {
  if (!existsSync(spec)) bad(`data ${spec} does not exist`);
  if (!statSync(spec).isDirectory()) return readDataFile(spec);
  const files = splitFiles(spec, split);
  if (!files.length)
    bad(
      `dataset folder ${spec} has no ${split} split (files named ${SPLIT_NAMES[split]!.join('/')}.csv|tsv|jsonl|json)`,
    );
  return files.flatMap(readDataFile);
}

/** Whether a dataset folder has the split (for the eval split when --eval-file is not given). */
export function hasSplit(spec: string, split: keyof typeof SPLIT_NAMES): boolean {
  return existsSync(spec) && statSync(spec).isDirectory() && splitFiles(spec, split).length > 0;
}

/** A column's value, or a CliError naming the column, row and the columns there are. */
export function column(row: Row, name: string, index: number): unknown {
  if (!(name in row))
    bad(`row ${index + 1} has no column ${JSON.stringify(name)}; columns: ${Object.keys(row).join(', ')}`);
  return row[name];
}

/** A list-valued column (JSON array, or a string holding a JSON array / whitespace-separated items in CSV). */
export function listColumn(row: Row, name: string, index: number): unknown[] {
  const v = column(row, name, index);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s.startsWith('[')) {
      try {
        const a = JSON.parse(s) as unknown;
        if (Array.isArray(a)) return a;
      } catch {
        // not JSON: split on whitespace below
      }
    }
    return s ? s.split(/\s+/) : [];
  }
  bad(`row ${index + 1}: column ${JSON.stringify(name)} = ${JSON.stringify(v)} is not a list`);
}
