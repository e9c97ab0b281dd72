// The root README's "Quick look" example runs as written (on a fixture model folder with the matching tokenizer).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBackend } from '@albertjs/onnx';
import { defaultModelPath, pipeline } from '@albertjs/pipelines';
import { afterAll, expect, it } from 'vitest';
import { listCases, listTokenizers } from '../src/index.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const work = join(import.meta.dirname, '.readme-example');
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('README quick look: MaskedLM logits from a folder', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Quick look\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has a Quick look ts block').toBeTruthy();
  const model = join(work, 'model');
  mkdirSync(model, { recursive: true });
  const src = listCases().find((c) => c.id === 'tiny__AlbertForMaskedLM__eager')!.modelPath;
  const tok = listTokenizers().find((t) => t.name === 'spm-en-1000')!.dir;
  for (const d of [src, tok])
    for (const f of readdirSync(d)) if (f !== 'cases.json') copyFileSync(join(d, f), join(model, f));
  const code = `${block!.replace("'./albert-base-v2'", JSON.stringify(model))}\nexport { logits };\n`;
  writeFileSync(join(work, 'example.ts'), code);
  const { logits } = (await import(join(work, 'example.ts'))) as { logits: { shape: number[]; data: Float32Array } };
  expect(logits.shape[0]).toBe(1);
  expect(logits.shape[2]).toBe(1000);
  expect(Number.isFinite(logits.data[0]!)).toBe(true);
});

it('README pipelines: a callable pipeline on the default model, and an unknown option named', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Pipelines\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has a Pipelines ts block').toBeTruthy();
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'pipelines.ts'), `${block}\nexport { predictions, mistake };\n`);
  const got = (await import(join(work, 'pipelines.ts'))) as { predictions: unknown; mistake: string };
  const backend = await createBackend();
  const fill = await pipeline('fill-mask', defaultModelPath(), { backend });
  expect(got.predictions).toEqual(await fill.run('The capital of [MASK] is Paris.', { topK: 3 }));
  fill.dispose();
  // the value the README's comment states
  const stated = /\/\/ mistake: '(.*)'/.exec(block!)?.[1];
  expect(got.mistake).toBe(stated);
  expect(got.mistake).toBe('fill-mask pipeline: unknown option top_k — did you mean topK?');
});

it('README quick look on the default model predicts at [MASK] what the fill-mask pipeline (and CLI) predicts', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Quick look\s+```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  const model = join(root, 'models', 'default');
  mkdirSync(work, { recursive: true });
  const code = `${block.replace("'./albert-base-v2'", JSON.stringify(model))}\nexport { logits, enc, tokenizer };\n`;
  writeFileSync(join(work, 'default-example.ts'), code);
  const { logits, enc, tokenizer } = (await import(join(work, 'default-example.ts'))) as {
    logits: { shape: number[]; data: Float32Array };
    enc: { input_ids: { data: BigInt64Array } };
    tokenizer: { maskTokenId: number; convertIdsToTokens(ids: number[]): string[] };
  };
  const ids = Array.from(enc.input_ids.data, Number);
  const at = ids.indexOf(tokenizer.maskTokenId);
  const V = logits.shape[2]!;
  const row = logits.data.subarray(at * V, (at + 1) * V); // [V] at the mask position
  let best = 0;
  for (let v = 1; v < V; v++) if (row[v]! > row[best]!) best = v;
  const { pipeline } = await import('@albertjs/pipelines');
  const { createBackend } = await import('@albertjs/onnx');
  const fill = await pipeline('fill-mask', model, { backend: await createBackend() });
  const [top] = (await fill.run('The capital of [MASK] is Paris.')) as Array<{ token: number; token_str: string }>;
  expect(tokenizer.convertIdsToTokens([best])[0]).toBe(tokenizer.convertIdsToTokens([top!.token])[0]);
  fill.dispose();
});
