import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOnnxModel } from '@albertjs/onnx';
import { listCases, maxAbsDiff, OUTPUT_TOLERANCE, pick } from '@albertjs/parity-tests';
import { describe, expect, it } from 'vitest';
import { model, run } from './helpers.js';

/** `name` in a fresh temporary folder. */
const tmpFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'albert-onnx-')), name);
/** `albert export-onnx --model <dir> --out <file> …extra` */
const exportOnnx = (dir: string, out: string, ...extra: string[]) =>
  run('export-onnx', '--model', dir, '--out', out, ...extra);

describe('albert export-onnx', () => {
  it('writes an ONNX file whose outputs match the Hugging Face reference', async () => {
    const out = tmpFile('cls.onnx');
    const r = await exportOnnx(model('groups', 'AlbertForSequenceClassification'), out, '--json');
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.head).toBe('AlbertForSequenceClassification');
    expect(summary.outputs[0]).toBe('logits');
    expect(existsSync(out)).toBe(true);
    const c = listCases().find((x) => x.id === 'groups__AlbertForSequenceClassification__sdpa')!;
    const t = c.load();
    const m = await loadOnnxModel(out);
    try {
      const got = await m.forward({
        input_ids: t.get('in.input_ids') as never,
        attention_mask: t.get('in.attention_mask') as never,
        token_type_ids: t.get('in.token_type_ids') as never,
      });
      const d = maxAbsDiff('logits', got.logits, pick(t, 'out.').get('logits')!);
      expect(d.maxAbs).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    } finally {
      m.dispose();
    }
  });

  it('exports the base model from a head checkpoint with --head and lists the unused head weights', async () => {
    const out = tmpFile('base.onnx');
    const r = await exportOnnx(model('tiny', 'AlbertForPreTraining'), out, '--head', 'AlbertModel');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^wrote .*base\.onnx \([\d.]+ MB, AlbertModel, standard, float32\)/);
    expect(r.out).toContain('outputs  last_hidden_state, pooler_output');
    expect(r.out).toMatch(/unused checkpoint weights: \d+ \(/);
  });

  it('requires --out and rejects an unknown head (usage errors)', async () => {
    expect((await run('export-onnx', '--model', model('tiny', 'AlbertModel'))).code).toBe(2);
    const r = await exportOnnx(model('tiny', 'AlbertModel'), tmpFile('x.onnx'), '--head', 'Bert');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--head "Bert" is not an ALBERT model class');
  });
});
