// What a page must show, computed in Node on onnxruntime-node from the same model files the page loads, with the
// same calls, and the comparison of the two (numbers within 1e-4: the backends differ in float rounding).
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPretrained } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { pipeline } from '@albertjs/pipelines';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { expect } from 'vitest';
import { defaultValues, TASKS, taskById } from '../src/live/tasks.js';

/** Fixture model folders (tiny config, one per head) with the spm-en-1000 tokenizer, for /extra-models/<head>/. */
export function fixtureModels(): string {
  const root = mkdtempSync(join(tmpdir(), 'albert-docs-models-'));
  for (const t of TASKS) {
    const dir = join(root, t.head);
    mkdirSync(dir, { recursive: true });
    for (const f of ['config.json', 'model.safetensors'])
      copyFileSync(join(DEFAULT_FIXTURES_DIR, 'models/tiny', t.head, f), join(dir, f));
    for (const f of ['tokenizer.json', 'spiece.model', 'tokenizer_config.json'])
      copyFileSync(join(DEFAULT_FIXTURES_DIR, 'tokenizers/spm-en-1000', f), join(dir, f));
  }
  return root;
}

/** As the page's `data-json` holds results: tensors as { dims, data }. */
export function plain(out: unknown): unknown {
  return JSON.parse(
    JSON.stringify(out, (_k, x) =>
      x && typeof x === 'object' && 'dims' in x && 'data' in x ? { dims: x.dims, data: Array.from(x.data) } : x,
    ),
  );
}

/**
 * `pipeline(task, dir, { backend })` in Node, called with the page's arguments for the task's default field
 * values (a head the checkpoint lacks is newly initialized from seed 0, as in the browser), and the warnings.
 */
export async function pipelineInNode(dir: string, taskId: string): Promise<{ json: unknown; warnings: string[] }> {
  const t = taskById(taskId);
  const backend = await createBackend();
  const warnings: string[] = [];
  const pipe = await pipeline(t.id as 'fill-mask', dir, { backend, onWarning: (m) => warnings.push(m) });
  try {
    const call = pipe as unknown as (...a: unknown[]) => Promise<unknown>;
    return { json: plain(await call(...t.args(defaultValues(t)))), warnings };
  } finally {
    pipe.dispose();
    await backend.dispose?.();
  }
}

/** The Getting started page's loading snippet in Node (local folder, onnxruntime-node): what it logs. */
export async function loadingSnippetInNode(dir: string): Promise<unknown[]> {
  const { config, weights } = await loadPretrained(dir, 'AlbertForMaskedLM');
  const tokenizer = await AlbertTokenizerFast.fromPretrained(dir);
  const backend = await createBackend();
  const model = await backend.loadModel('AlbertForMaskedLM', config, weights);
  try {
    const enc = tokenizer.call('The capital of [MASK] is Paris.', { returnTensors: 'int64' });
    const { logits } = await model.forward({ input_ids: enc.input_ids, attention_mask: enc.attention_mask });
    const rows = logits.tolist() as number[][][];
    return [logits.dims, rows[0]![1]!.slice(0, 5)];
  } finally {
    model.dispose();
    await backend.dispose?.();
  }
}

/** Equal structure; numbers within 1e-4. */
export function expectClose(got: unknown, want: unknown, path = '$'): void {
  if (typeof want === 'number') {
    expect(typeof got, path).toBe('number');
    expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(1e-4);
  } else if (Array.isArray(want)) {
    expect(Array.isArray(got), path).toBe(true);
    expect((got as unknown[]).length, path).toBe(want.length);
    for (const [i, w] of want.entries()) expectClose((got as unknown[])[i], w, `${path}[${i}]`);
  } else if (want && typeof want === 'object') {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else expect(got, path).toEqual(want);
}
