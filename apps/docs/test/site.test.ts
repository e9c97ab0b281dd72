// The docs site in Debian's Chromium (WebGPU on SwiftShader): every task page runs its live example on a
// fixture model and shows what the same pipeline computes in Node; fill-mask runs on all three backends.
// Screenshots go to artifacts/docs/.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '@albertjs/onnx';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS, DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { pipeline } from '@albertjs/pipelines';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASKS } from '../src/live/tasks.js';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(here, '../../../artifacts/docs');

/** Fixture model folders (tiny config, one per head) with the spm-en-1000 tokenizer, served as /extra-models/<head>/. */
function extraModels(): string {
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

/** What the page must show: the same task run in Node on onnxruntime-node, as JSON (tensors as { dims, data }). */
async function expected(root: string, taskId: string): Promise<unknown> {
  const t = TASKS.find((x) => x.id === taskId)!;
  const backend = await createBackend();
  const pipe = (await pipeline(t.id as never, join(root, t.head), { backend })) as unknown as {
    ctx: never;
    dispose(): void;
  };
  try {
    const v = Object.fromEntries(t.fields.map((f) => [f.name, f.value]));
    const out = await t.run(pipe.ctx, v);
    return JSON.parse(
      JSON.stringify(out, (_k, x) =>
        x && typeof x === 'object' && 'shape' in x && 'data' in x ? { dims: x.shape, data: Array.from(x.data) } : x,
      ),
    );
  } finally {
    pipe.dispose();
    await backend.dispose?.();
  }
}

/** Equal structure; numbers within 1e-4 (backends differ in float rounding). */
function expectClose(got: unknown, want: unknown, path = '$'): void {
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

describe('docs site in Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let base: string;
  let models: string;
  const errors: string[] = [];

  beforeAll(async () => {
    models = extraModels();
    process.env.ALBERT_DOCS_EXTRA_MODELS = models;
    server = await createServer({
      configFile: resolve(here, '../vite.config.ts'),
      server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
      logLevel: 'error',
    });
    await server.listen();
    base = server.resolvedUrls!.local[0]!;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_WEBGPU_ARGS] });
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(`${base}${path}`);
    return page;
  }

  async function runExample(taskId: string, backend: string): Promise<{ page: Page; json: unknown; status: string }> {
    const t = TASKS.find((x) => x.id === taskId)!;
    const page = await open(`tasks/${taskId}.html?model=/extra-models/${t.head}/&backend=${backend}`);
    await page.click('#run');
    await page.waitForFunction(
      () => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''),
      null,
      { timeout: 120_000 },
    );
    const status = (await page.textContent('#status')) ?? '';
    await page.screenshot({ path: join(artifacts, `${taskId}-${backend}.png`), fullPage: true });
    const raw = await page.getAttribute('#result', 'data-json');
    return { page, json: raw ? JSON.parse(raw) : undefined, status };
  }

  it.each(TASKS.map((t) => t.id))('%s page runs on TF.js wasm and shows what Node computes', async (taskId) => {
    const { page, json, status } = await runExample(taskId, 'tfjs');
    expect(status).toMatch(/^done in \d+ ms on tfjs-wasm/);
    expectClose(json, await expected(models, taskId));
    expect(await page.locator('#result table, #result p').count()).toBeGreaterThan(0);
    await page.close();
  });

  it.each(['webgpu', 'onnx'])('fill-mask runs on %s in the browser with the same result', async (backend) => {
    const { page, json, status } = await runExample('fill-mask', backend);
    expect(status).toMatch(
      backend === 'webgpu' ? /^done in \d+ ms on WebGPU .*swiftshader/i : /^done in \d+ ms on onnxruntime-web wasm/,
    );
    expectClose(json, await expected(models, 'fill-mask'));
    await page.close();
  });

  it('a checkpoint without the task head runs with a newly initialized head and says so', async () => {
    const page = await open('tasks/text-classification.html?model=/extra-models/AlbertForPreTraining/&backend=tfjs');
    await page.click('#run');
    await page.waitForFunction(
      () => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''),
      null,
      { timeout: 120_000 },
    );
    expect(await page.textContent('#status')).toMatch(/^done in/);
    const note = (await page.textContent('#untrained-head')) ?? '';
    expect(note).toContain(
      'no fine-tuned AlbertForSequenceClassification head: 2 head weight(s) (classifier.weight, classifier.bias)',
    );
    const json = JSON.parse((await page.getAttribute('#result', 'data-json'))!) as { label: string; score: number }[];
    expect(json.map((x) => x.label).sort()).toEqual(['LABEL_0', 'LABEL_1']);
    expect(json.reduce((a, x) => a + x.score, 0)).toBeCloseTo(1, 5);
    await page.close();
  });

  it('the other pages load without errors', async () => {
    for (const p of ['index.html', 'getting-started.html', 'parity.html', 'benchmarks.html']) {
      const page = await open(p);
      await page.waitForSelector('nav a');
      expect(await page.locator('nav a').count()).toBe(5 + TASKS.length);
      await page.screenshot({ path: join(artifacts, p.replace('.html', '.png')), fullPage: true });
      await page.close();
    }
    const home = await open('index.html');
    expect(await home.locator('#task-list li').count()).toBe(TASKS.length);
    await home.close();
    expect(errors).toEqual([]);
  });
});
