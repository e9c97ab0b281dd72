// `albert train` end to end on the embedded default model and the small datasets in test/fixtures/train:
// convergence, the saved folder on every backend and pipeline with identical outputs, exact resume from a
// checkpoint-<step>/ and from the checkpoint Ctrl-C saves, every task and input format, and bad input.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, loadPretrained } from '@albertjs/core';
import { loadTokenizer, pipeline } from '@albertjs/pipelines';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO, main } from '../src/index.js';
import { recordingProgress } from '../src/progress.js';
import { run } from './helpers.js';

const DATA = join(import.meta.dirname, 'fixtures/train');
const tmp = mkdtempSync(join(tmpdir(), 'albert-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Options shared by the runs: wasm (the fastest tfjs runtime here), a learning rate small models need. */
const common = ['--runtime', 'wasm', '--lr', '1e-2', '--seed', '1'];

function state(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'trainer_state.json'), 'utf8')) as {
    global_step: number;
    log_history: Record<string, number>[];
  };
}

async function backends(): Promise<Backend[]> {
  return [
    await (await import('@albertjs/tfjs')).createBackend({ runtime: 'cpu' }),
    await (await import('@albertjs/onnx')).createBackend(),
    await (await import('@albertjs/webgpu')).createBackend(),
  ];
}

describe('albert train text-classification', () => {
  const out = join(tmp, 'cls');
  it('converges, and the folder loads in every backend and pipeline with the same outputs', async () => {
    // the README's command, run from apps/cli with -o pointing into the scratch folder
    const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
    const cmd = /## Fine-tuning[\s\S]*?```sh\n(albert train [^\n]*)\n```/.exec(readme)?.[1];
    expect(cmd).toBeDefined();
    const argv = cmd!
      .split(/\s+/)
      .slice(1)
      .map((a) =>
        a.startsWith('test/fixtures/') ? join(import.meta.dirname, '..', a) : a === 'my-classifier' ? out : a,
      );
    expect(argv).toContain(out);
    const r = await run(...argv);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /Some weights of AlbertForSequenceClassification were not initialized from the model checkpoint at .* and are newly initialized: \[classifier\.weight, classifier\.bias\]/,
    );
    const losses = state(out)
      .log_history.filter((e) => 'loss' in e)
      .map((e) => e.loss!);
    expect(losses).toHaveLength(4);
    expect(losses.at(-1)).toBeLessThan(0.35);
    expect(losses.at(-1)).toBeLessThan(losses[0]! / 2);
    const progress = r.progress.filter((p) => p.startsWith('update'));
    expect(progress.at(-1)).toMatch(/^update 16 train loss \d\.\d{4} · \d+\.\d\d steps\/s · ETA 0s$/);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(cfg.architectures).toEqual(['AlbertForSequenceClassification']);
    expect(cfg.id2label).toEqual({ 0: 'negative', 1: 'positive' });
    expect(cfg.label2id).toEqual({ negative: 0, positive: 1 });
    expect(cfg.problem_type).toBe('single_label_classification');
    for (const f of [
      'model.safetensors',
      'tokenizer.json',
      'spiece.model',
      'tokenizer_config.json',
      'all_results.json',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    const results = JSON.parse(readFileSync(join(out, 'all_results.json'), 'utf8'));
    expect(results.eval_accuracy).toBeGreaterThanOrEqual(0);
    expect(Object.keys(results)).toEqual(
      expect.arrayContaining(['train_loss', 'eval_loss', 'eval_accuracy', 'eval_macro_f1', 'train_steps_per_second']),
    );

    const { config, weights, report } = await loadPretrained(out, 'AlbertForSequenceClassification');
    expect(report.newlyInitialized).toEqual([]);
    expect(report.missing).toEqual([]);
    const tok = await loadTokenizer(out);
    const texts = ['the movie was really great.', 'our trip was really awful.', 'the book was really boring.'];
    const encs = texts.map((t) => tok.encode(t)[0]!);
    const S = Math.max(...encs.map((e) => e.input_ids.length));
    const pad = (a: number[], v: number) => [...a, ...new Array(S - a.length).fill(v)];
    const inputs = {
      input_ids: encs.map((e) => pad(e.input_ids, tok.padTokenId)),
      attention_mask: encs.map((e) => pad(e.attention_mask, 0)),
      token_type_ids: encs.map((e) => pad(e.token_type_ids, 0)),
    };
    const logits: Float32Array[] = [];
    const labels: string[][] = [];
    for (const be of await backends()) {
      const m = await be.loadModel('AlbertForSequenceClassification', config, weights);
      logits.push((await m.forward(inputs)).logits.data);
      m.dispose();
      const p = await pipeline('text-classification', out, { backend: be });
      const res = (await p.run(texts)) as unknown as ({ label: string } | { label: string }[])[];
      labels.push(res.map((x) => (Array.isArray(x) ? x[0]!.label : x.label)));
      p.dispose();
      await be.dispose?.();
    }
    for (const l of logits.slice(1))
      for (let i = 0; i < l.length; i++) expect(Math.abs(l[i]! - logits[0]![i]!)).toBeLessThan(1e-4);
    expect(labels[1]).toEqual(labels[0]);
    expect(labels[2]).toEqual(labels[0]);
    expect(labels[0]!.every((l) => l === 'negative' || l === 'positive')).toBe(true);
  }, 120_000);
});

describe('the fine-tuned model exported to ONNX', () => {
  it('albert export-onnx of the trained folder predicts the held-out set as tfjs does', async () => {
    const dir = join(tmp, 'cls'); // trained by the convergence test above
    const file = join(tmp, 'cls.onnx');
    const r = await run('export-onnx', '--model', dir, '--out', file);
    expect(r.code, r.err).toBe(0);
    const { loadOnnxModel } = await import('@albertjs/onnx');
    const onnx = await loadOnnxModel(file);
    const { config, weights } = await loadPretrained(dir, 'AlbertForSequenceClassification');
    const tf = await (await (await import('@albertjs/tfjs')).createBackend({ runtime: 'wasm' })).loadModel(
      'AlbertForSequenceClassification',
      config,
      weights,
    );
    const tok = await loadTokenizer(dir);
    const rows = readFileSync(join(DATA, 'cls-eval.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    const argmax = (l: ArrayLike<number>) => (l[1]! > l[0]! ? 1 : 0);
    for (const row of rows) {
      const enc = tok.encode(row.slice(0, row.lastIndexOf(',')))[0]!;
      const x = {
        input_ids: [enc.input_ids],
        attention_mask: [enc.attention_mask],
        token_type_ids: [enc.token_type_ids],
      };
      const a = (await tf.forward(x)).logits.data;
      const b = (await onnx.forward(x as never)).logits!.data as Float32Array;
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-4);
      expect(argmax(b)).toBe(argmax(a));
    }
    onnx.dispose();
    tf.dispose();
  }, 60_000);
});

describe('checkpoints and resume', () => {
  const args = (outDir: string) => [
    'train',
    'text-classification',
    '--train-file',
    join(DATA, 'cls-train.csv'),
    '-o',
    outDir,
    '--epochs',
    '2',
    '--batch-size',
    '8',
    '--gradient-accumulation-steps',
    '2',
    '--save-steps',
    '2',
    '--classifier-dropout',
    '0.1',
    '--logging-steps',
    '1',
    '--weight-decay',
    '0.01',
    ...common,
  ];
  const full = join(tmp, 'full');
  const weightsOf = (dir: string) => readFileSync(join(dir, 'model.safetensors'));
  const losses = (dir: string) => state(dir).log_history.filter((e) => 'loss' in e);

  it('resuming from checkpoint-2 gives the uninterrupted run bit for bit (dropout, accumulation, decay)', async () => {
    // 48 rows / batch 8 = 6 micro-batches = 3 optimizer steps per epoch; checkpoint-2 is mid-epoch
    expect((await run(...args(full))).code).toBe(0);
    expect(state(full).global_step).toBe(6);
    const ck = join(full, 'checkpoint-2');
    for (const f of [
      'model.safetensors',
      'optimizer.safetensors',
      'rng_state.json',
      'trainer_state.json',
      'tokenizer.json',
    ])
      expect(existsSync(join(ck, f)), f).toBe(true);
    const resumed = join(tmp, 'resumed');
    const r = await run(...args(resumed), '--resume', ck);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('resuming at step 2');
    expect(weightsOf(resumed).equals(weightsOf(full))).toBe(true);
    expect(losses(resumed)).toEqual(losses(full));
  }, 60_000);

  it('Ctrl-C saves a checkpoint (exit 130) that --resume continues to the same model', async () => {
    const dir = join(tmp, 'sigint');
    const io = bufferIO();
    let sent = false;
    io.progress = () => {
      const p = recordingProgress(io.progressEvents, io);
      return {
        ...p,
        update(done, label) {
          p.update(done, label);
          if (done === 3 && !sent) {
            sent = true;
            process.emit('SIGINT');
          }
        },
      };
    };
    const code = await main(args(dir), io);
    expect(code, io.stderr.join('\n')).toBe(130);
    expect(io.stderr.join('\n')).toMatch(
      /interrupted at step 3\/6: saved .*checkpoint-3; continue with the same command and --resume/,
    );
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false);
    expect(state(join(dir, 'checkpoint-3')).global_step).toBe(3);
    const r = await run(...args(dir), '--resume');
    expect(r.code, r.err).toBe(0);
    expect(weightsOf(dir).equals(weightsOf(full))).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(0);
  }, 60_000);
});

describe('every task and input format', () => {
  const quick = ['--max-steps', '2', '--batch-size', '4', ...common];
  const cases: [string, string, string[], string[], string][] = [
    [
      'token-classification',
      'ner-train.jsonl',
      ['--eval-file', join(DATA, 'ner-eval.jsonl')],
      ['eval_f1', 'eval_precision', 'eval_recall', 'eval_accuracy'],
      'AlbertForTokenClassification',
    ],
    [
      'question-answering',
      'qa-train.json',
      ['--eval-file', join(DATA, 'qa-eval.json'), '--max-length', '24', '--doc-stride', '8'],
      ['eval_exact_match', 'eval_f1'],
      'AlbertForQuestionAnswering',
    ],
    [
      'multiple-choice',
      'mc-train.jsonl',
      ['--eval-file', join(DATA, 'mc-train.jsonl')],
      ['eval_accuracy'],
      'AlbertForMultipleChoice',
    ],
    [
      'mlm',
      'mlm-train.jsonl',
      ['--eval-file', join(DATA, 'mlm-train.jsonl')],
      ['eval_accuracy', 'eval_perplexity'],
      'AlbertForMaskedLM',
    ],
    [
      'text-classification',
      'reg-train.tsv',
      ['--eval-file', join(DATA, 'reg-train.tsv'), '--label-column', 'score'],
      ['eval_mse'],
      'AlbertForSequenceClassification',
    ],
    [
      'text-classification',
      'multi-train.jsonl',
      ['--eval-file', join(DATA, 'multi-train.jsonl')],
      ['eval_accuracy', 'eval_macro_f1'],
      'AlbertForSequenceClassification',
    ],
  ];
  it.each(cases)(
    '%s on %s',
    async (task, file, extra, metrics, head) => {
      const out = join(tmp, `${task}-${file}`);
      const r = await run('train', task, '--train-file', join(DATA, file), '-o', out, ...extra, ...quick, '--json');
      expect(r.code, r.err).toBe(0);
      const results = JSON.parse(r.out);
      for (const m of ['eval_loss', ...metrics]) expect(Number.isFinite(results[m]), m).toBe(true);
      const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
      expect(cfg.architectures).toEqual([head]);
      if (file.startsWith('reg'))
        expect([cfg.problem_type, Object.keys(cfg.id2label).length]).toEqual(['regression', 1]);
      if (file.startsWith('multi'))
        expect([cfg.problem_type, cfg.id2label]).toEqual(['multi_label_classification', { 0: 'food', 1: 'music' }]);
      if (task === 'token-classification') expect(cfg.id2label).toEqual({ 0: 'B-LOC', 1: 'B-PER', 2: 'O' });
      const again = await loadPretrained(out, head as 'AlbertModel');
      expect(again.report.newlyInitialized).toEqual([]);
    },
    60_000,
  );

  it('a dataset folder in the Hub layout: train and validation splits by file name', async () => {
    const ds = join(tmp, 'dataset');
    mkdirSync(join(ds, 'data'), { recursive: true });
    cpSync(join(DATA, 'cls-small.csv'), join(ds, 'data', 'train-00000-of-00001.csv'));
    cpSync(join(DATA, 'cls-eval.csv'), join(ds, 'validation.csv'));
    const r = await run(
      'train',
      'text-classification',
      '--train-file',
      ds,
      '-o',
      join(tmp, 'from-folder'),
      ...quick,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/16 training features, 16 eval/);
  }, 60_000);
});

describe('bad input', () => {
  it('names the problem and the value, and never overwrites a trained model', async () => {
    const u = await run('train', 'summarization', '--train-file', join(DATA, 'cls-small.csv'), '-o', join(tmp, 'x'));
    expect([u.code, u.err]).toEqual([
      2,
      'error: unknown training task "summarization"; one of text-classification, token-classification, question-answering, multiple-choice, mlm',
    ]);
    const c = await run(
      'train',
      'text-classification',
      '--train-file',
      join(DATA, 'cls-small.csv'),
      '--label-column',
      'sentiment',
      '-o',
      join(tmp, 'y'),
    );
    expect(c.code).toBe(3);
    expect(c.err).toBe('error: row 1 has no column "sentiment"; columns: text, label');
    const o = await run(
      'train',
      'text-classification',
      '--train-file',
      join(DATA, 'cls-small.csv'),
      '-o',
      join(tmp, 'cls'),
    );
    expect(o.code).toBe(3);
    expect(o.err).toBe(
      `error: --output-dir ${join(tmp, 'cls')} already holds a trained model; pass --overwrite-output-dir or --resume`,
    );
    const e = await run(
      'train',
      'text-classification',
      '--train-file',
      join(DATA, 'cls-small.csv'),
      '--eval-file',
      join(DATA, 'multi-train.jsonl'),
      '--label-column',
      'label',
      '--text-column',
      'text',
      '-o',
      join(tmp, 'z'),
    );
    expect(e.code).toBe(3);
    expect(e.err).toMatch(/^error: row 1 has no column "label"; columns: text, labels$/);
    const n = await run('train', 'mlm', '--train-file', join(DATA, 'nope.csv'), '-o', join(tmp, 'w'));
    expect([n.code, n.err]).toEqual([3, `error: data ${join(DATA, 'nope.csv')} does not exist`]);
    const l = await run(
      'train',
      'text-classification',
      '--train-file',
      join(DATA, 'cls-small.csv'),
      '--lr',
      '-1',
      '-o',
      join(tmp, 'v'),
    );
    expect(l.code).toBe(2);
  });
});
