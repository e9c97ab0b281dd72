// What a task page must show, computed in Node on onnxruntime-node from the same model files the page loads,
// and the comparison of the two (numbers within 1e-4: the backends differ in float rounding).
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeadName } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { pipeline } from '@albertjs/pipelines';
import { expect } from 'vitest';
import { fetchModel } from '../src/live/model.js';
import { TASKS, type TaskSpec, taskById } from '../src/live/tasks.js';

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

/** The page's `data-json`: tensors as { dims, data }. */
function plain(out: unknown): unknown {
  return JSON.parse(
    JSON.stringify(out, (_k, x) =>
      x && typeof x === 'object' && 'shape' in x && 'data' in x ? { dims: x.shape, data: Array.from(x.data) } : x,
    ),
  );
}

const defaults = (t: TaskSpec) => Object.fromEntries(t.fields.map((f) => [f.name, f.value]));

/** The task run by @albertjs/pipelines' `pipeline()` in Node on the model folder `dir`. */
export async function pipelineInNode(dir: string, taskId: string): Promise<unknown> {
  const t = taskById(taskId);
  const backend = await createBackend();
  const pipe = (await pipeline(t.id as never, dir, { backend })) as unknown as { ctx: never; dispose(): void };
  try {
    return plain(await t.run(pipe.ctx, defaults(t)));
  } finally {
    pipe.dispose();
    await backend.dispose?.();
  }
}

/**
 * The task run in Node on the model folder at `url` loaded exactly as the page loads it (fetchModel: a head the
 * checkpoint lacks is newly initialized from a fixed seed), for pages whose head `pipeline()` refuses to load.
 */
export async function pageLoaderInNode(url: string, taskId: string): Promise<{ json: unknown; initialized: string[] }> {
  const t = taskById(taskId);
  const m = await fetchModel(url);
  const { weights, initialized } = m.weightsFor(t.head);
  const backend = await createBackend();
  const handle = await backend.loadModel(t.head as HeadName, m.config, weights);
  try {
    const ctx = {
      model: handle,
      config: m.config,
      tokenizer: m.tokenizer,
      batchSize: 8,
      maxLength: m.config.max_position_embeddings,
    };
    return { json: plain(await t.run(ctx, defaults(t))), initialized };
  } finally {
    handle.dispose();
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
