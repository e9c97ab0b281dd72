// The one module that reads fixtures folders (the format of fixtures/hf: manifest.json, cases/,
// models/, checkpoints/, onnx/, tokenizers/). Every test and the `albert parity` runner go through it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HeadName, isHeadName, parseSafetensors, type Tensor } from '@albertjs/core';

/** The fixtures shipped with this package (copied from Hugging Face transformers' outputs). */
export const DEFAULT_FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hf');

export interface ManifestCase {
  config: string;
  /** e.g. 'AlbertForSequenceClassification-regression', 'AlbertModel-from-pretraining-ckpt' */
  head: string;
  variant: string;
  attn_implementation: 'eager' | 'sdpa';
  model_dir: string;
  file: string;
  kwargs: Record<string, unknown>;
  labels: string[];
  grads: boolean;
  keys: string[];
}

export interface Manifest {
  versions: Record<string, string>;
  configs: Record<string, Record<string, unknown>>;
  vocab_size: number;
  cases: ManifestCase[];
}

export interface FixtureCase extends ManifestCase {
  /** Stable id: `<config>__<head>__<variant>`. */
  id: string;
  /** The model class to instantiate (suffixes like `-regression` removed). */
  modelClass: HeadName;
  /** Absolute path of the model folder. */
  modelPath: string;
  /** Loads the case's tensors (`in.*`, `out.*`, `grad.*`). */
  load(): Map<string, Tensor>;
}

export function readManifest(dir = DEFAULT_FIXTURES_DIR): Manifest {
  const p = join(dir, 'manifest.json');
  if (!existsSync(p)) throw new Error(`no manifest.json in fixtures folder ${dir}`);
  return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
}

export function modelClassOf(head: string): HeadName {
  const base = head.split('-')[0]!;
  if (!isHeadName(base)) throw new Error(`fixture head ${JSON.stringify(head)} names no ALBERT model class`);
  return base;
}

export function listCases(dir = DEFAULT_FIXTURES_DIR): FixtureCase[] {
  return readManifest(dir).cases.map((c) => ({
    ...c,
    id: `${c.config}__${c.head}__${c.variant}`,
    modelClass: modelClassOf(c.head),
    modelPath: join(dir, c.model_dir),
    load: () => parseSafetensors(new Uint8Array(readFileSync(join(dir, c.file))), c.file).tensors,
  }));
}

/** Tensors of a case whose names start with `prefix` (`in.`, `out.`, `grad.`), prefix removed. */
export function pick(tensors: Map<string, Tensor>, prefix: string): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  for (const [k, v] of tensors) if (k.startsWith(prefix)) m.set(k.slice(prefix.length), v);
  return m;
}

export interface TokenizerFixture {
  name: string;
  dir: string;
  /** cases.json, when the folder has one. */
  cases?: unknown;
}

export function listTokenizers(dir = DEFAULT_FIXTURES_DIR): TokenizerFixture[] {
  const root = join(dir, 'tokenizers');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const tdir = join(root, d.name);
      const cp = join(tdir, 'cases.json');
      return { name: d.name, dir: tdir, ...(existsSync(cp) ? { cases: JSON.parse(readFileSync(cp, 'utf8')) } : {}) };
    });
}

/** One file of a tokenizer fixture folder (spiece.model, tokenizer.json, tokenizer.transformers-v5.json, …). */
export function readTokenizerFile(t: TokenizerFixture, name: string): Buffer {
  const p = join(t.dir, name);
  if (!existsSync(p)) throw new Error(`tokenizer fixture ${t.name} has no ${name}`);
  return readFileSync(p);
}

export interface OnnxFixture {
  name: string;
  model: string;
  io: string;
}

export function listOnnx(dir = DEFAULT_FIXTURES_DIR): OnnxFixture[] {
  const root = join(dir, 'onnx');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => ({
      name: f.replace(/\.onnx$/, ''),
      model: join(root, f),
      io: join(root, f.replace(/\.onnx$/, '.io.safetensors')),
    }));
}

export interface CheckpointFixture {
  /** `<config>/<head>` */
  name: string;
  /** The float32 reference folder with the same weights (`models/<config>/<head>`). */
  reference: string;
  /** Every other format of the same weights: a weight file (`pytorch_model.bin` …) or a model folder (`fp16/`). */
  formats: { format: string; path: string; kind: 'file' | 'dir' }[];
}

/** `checkpoints/<config>/<head>/…`: the same weights as `models/<config>/<head>` in other formats. */
export function listCheckpoints(dir = DEFAULT_FIXTURES_DIR): CheckpointFixture[] {
  const root = join(dir, 'checkpoints');
  if (!existsSync(root)) return [];
  const out: CheckpointFixture[] = [];
  for (const cfg of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const head of readdirSync(join(root, cfg.name), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const hdir = join(root, cfg.name, head.name);
      const formats: CheckpointFixture['formats'] = [];
      for (const e of readdirSync(hdir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isDirectory()) formats.push({ format: e.name, path: join(hdir, e.name), kind: 'dir' });
        else if (/\.(bin|safetensors|pt|pth|msgpack)$/.test(e.name))
          formats.push({ format: e.name, path: join(hdir, e.name), kind: 'file' });
      }
      out.push({ name: `${cfg.name}/${head.name}`, reference: join(dir, 'models', cfg.name, head.name), formats });
    }
  }
  return out;
}

/** The real-world text corpus (fixtures/corpus, README there): one entry per file, its non-empty lines. */
export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'corpus');
export function corpusFiles(dir = CORPUS_DIR): Array<{ name: string; lines: string[] }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && f !== 'SOURCES.txt')
    .sort()
    .map((name) => ({
      name,
      lines: readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0),
    }));
}

/** Every tokenizer folder to check against the real engines: the fixture tokenizers and the embedded default model. */
export function corpusTokenizers(dir = DEFAULT_FIXTURES_DIR): TokenizerFixture[] {
  const defaultModel = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'default');
  return [...listTokenizers(dir), { name: 'models/default', dir: defaultModel }];
}
