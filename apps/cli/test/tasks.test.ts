// Task commands on a fixture model with the matching 1000-piece tokenizer, checked against a forward pass
// computed here from the tokenizer and backend APIs directly (not through the pipelines).
import { join } from 'node:path';
import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, model, run, taskModel } from './helpers.js';

const softmax = (x: ArrayLike<number>) => {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

async function forward(dir: string, head: 'AlbertForMaskedLM' | 'AlbertForSequenceClassification', text: string) {
  // transformers 5's pipelines tokenize with the pipeline it rebuilds from tokenizer.json
  const tok = await AlbertTokenizerFast.fromPretrained(dir, { pipeline: 'transformers-v5' });
  const enc = tok.call(text);
  const ids = enc.input_ids as number[];
  const { config, tensors } = await readCheckpointDir(dir);
  const be = await createBackend();
  const m = await be.loadModel(head, config, bindWeights(head, config, tensors).weights);
  try {
    const out = await m.forward({
      input_ids: [ids],
      attention_mask: [ids.map(() => 1)],
      token_type_ids: [ids.map(() => 0)],
    });
    return { ids, logits: out.logits.data, config, maskId: tok.maskTokenId! };
  } finally {
    m.dispose();
    await be.dispose?.();
  }
}

describe('task commands', () => {
  let mlm: string;
  let cls: string;
  beforeAll(() => {
    mlm = taskModel('tiny', 'AlbertForMaskedLM');
    cls = taskModel('tiny', 'AlbertForSequenceClassification');
  });

  it('fill-mask: the top-k tokens and probabilities of the masked position', async () => {
    const text = 'the capital of [MASK] is paris.';
    const r = await run('fill-mask', text, '--model', mlm, '--backend', 'onnx', '--top-k', '3', '--json');
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out) as { token: number; score: number; token_str: string; sequence: string }[];
    const { ids, logits, config, maskId } = await forward(mlm, 'AlbertForMaskedLM', text);
    const pos = ids.indexOf(maskId);
    expect(pos).toBeGreaterThan(0);
    const p = softmax(logits.subarray(pos * config.vocab_size, (pos + 1) * config.vocab_size));
    const top = p
      .map((s, i) => [i, s] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    expect(got.map((g) => g.token)).toEqual(top.map(([i]) => i));
    for (const [k, g] of got.entries()) expect(g.score).toBeCloseTo(top[k]![1], 5);
    const table = await run('fill-mask', text, '--model', mlm, '--backend', 'onnx', '--top-k', '3');
    expect(table.out.split('\n')[0]).toMatch(/^score\s+token\s+token_str\s+sequence$/);
  });

  it('classify: softmax over the 3 labels, best first', async () => {
    const text = 'hello world, this is a test.';
    const r = await run('classify', text, '--model', cls, '--backend', 'onnx', '--top-k', 'all', '--json');
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out) as { label: string; score: number }[];
    const { logits, config } = await forward(cls, 'AlbertForSequenceClassification', text);
    const p = softmax(logits);
    const want = p.map((s, i) => ({ label: config.id2label[String(i)]!, score: s })).sort((a, b) => b.score - a.score);
    expect(got.map((g) => g.label)).toEqual(want.map((w) => w.label));
    for (const [k, g] of got.entries()) expect(g.score).toBeCloseTo(want[k]!.score, 5);
  });

  it('tokenize: tokens, ids and offsets of the model tokenizer', async () => {
    const r = await run('tokenize', 'Hello world!', '--model', mlm, '--json');
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out);
    const cases = JSON.parse(
      (await import('node:fs')).readFileSync(join(FIXTURES, 'tokenizers/spm-en-1000/cases.json'), 'utf8'),
    );
    const ref = cases.singles.find((s: { text: string }) => s.text === 'Hello world!').tokenizers;
    expect(got.input_ids).toEqual(ref.ids);
    expect(got.tokens).toEqual(ref.tokens);
  });

  it('the other tasks run end to end on their heads', async () => {
    const qa = await run(
      'qa',
      'what is tested?',
      'the command line is tested here.',
      '--model',
      taskModel('tiny', 'AlbertForQuestionAnswering'),
      '--backend',
      'onnx',
      '--json',
    );
    expect(qa.code, qa.err).toBe(0);
    const a = JSON.parse(qa.out);
    expect('the command line is tested here.'.slice(a.start, a.end)).toBe(a.answer);
    const ner = await run(
      'ner',
      'alice lives in paris',
      '--model',
      taskModel('tiny', 'AlbertForTokenClassification'),
      '--backend',
      'onnx',
      '--aggregation',
      'none',
      '--json',
    );
    expect(ner.code, ner.err).toBe(0);
    for (const e of JSON.parse(ner.out)) expect(e.entity).toMatch(/^LABEL_[0-4]$/);
    const mc = await run(
      'choice',
      'the sky is',
      'blue',
      'green',
      'loud',
      '--model',
      taskModel('tiny', 'AlbertForMultipleChoice'),
      '--backend',
      'onnx',
      '--json',
    );
    expect(mc.code, mc.err).toBe(0);
    const scores = JSON.parse(mc.out) as { score: number }[];
    expect(scores).toHaveLength(3);
    expect(scores.reduce((s, x) => s + x.score, 0)).toBeCloseTo(1, 5);
    const emb = await run(
      'embed',
      'one text',
      'another text',
      '--model',
      taskModel('tiny', 'AlbertModel'),
      '--backend',
      'onnx',
      '--normalize',
      '--json',
    );
    expect(emb.code, emb.err).toBe(0);
    const vecs = JSON.parse(emb.out) as { dims: number[]; data: number[] }[];
    expect(vecs.map((v) => v.dims)).toEqual([[32], [32]]);
    for (const v of vecs) expect(Math.hypot(...v.data)).toBeCloseTo(1, 5);
    const sop = await run(
      'sop',
      'first part.',
      'second part.',
      '--model',
      taskModel('tiny', 'AlbertForPreTraining'),
      '--backend',
      'onnx',
      '--json',
    );
    expect(sop.code, sop.err).toBe(0);
  });

  it('with no --model, fill-mask runs the embedded default model offline', async () => {
    const r = await run('fill-mask', 'The capital of [MASK] is Paris.', '--json');
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(r.out) as { score: number; token_str: string; sequence: string }[];
    expect(got).toHaveLength(5);
    for (const g of got) {
      expect(g.sequence.toLowerCase()).toMatch(/^the capital of.* is paris\.$/);
      expect(g.score).toBeGreaterThan(0);
    }
    for (let i = 1; i < got.length; i++) expect(got[i]!.score).toBeLessThanOrEqual(got[i - 1]!.score);
  });

  it('a model folder without a tokenizer is bad input (3) naming the folder, not an internal error', async () => {
    const dir = model('tiny', 'AlbertForMaskedLM');
    const r = await run('fill-mask', 'The [MASK] is here.', '--model', dir, '--backend', 'onnx');
    expect(r.code).toBe(3);
    expect(r.err).toBe(`error: model ${dir}: the tokenizer folder has neither tokenizer.json nor spiece.model`);
  });

  it('an unavailable pipeline input is a clear error: fill-mask without [MASK]', async () => {
    const r = await run('fill-mask', 'no mask here', '--model', mlm, '--backend', 'onnx');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^error: .*\[MASK\]/);
  });

  it('a model without the task head is bad input naming the model, the missing weights and what to pass', async () => {
    const dir = taskModel('tiny', 'AlbertModel');
    const r = await run('classify', 'This is good.', '--model', dir, '--backend', 'onnx');
    expect(r.code).toBe(3);
    expect(r.err).toBe(
      `error: model ${dir}: AlbertForSequenceClassification: 2 weight(s) missing from the checkpoint: classifier.weight, classifier.bias; it has no fine-tuned head for text-classification: pass --model a model folder or Hub id fine-tuned for it`,
    );
  });
});
