// The docs site in Debian's Chromium (WebGPU on SwiftShader): every task page runs its live example, on fixture
// models (?model=/extra-models/<head>/) and on the embedded default model (no ?model: /models/default/, served
// from the repository), and must show what the same pipeline computes in Node on the same files; fill-mask runs
// on all three backends both ways. Screenshots go to artifacts/docs/.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindWeights, readCheckpointDir } from '@albertjs/core';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from '@albertjs/parity-tests';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createServer, preview as previewServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASKS, taskById } from '../src/live/tasks.js';
import { expectClose, fixtureModels, pageLoaderInNode, pipelineInNode } from './node-reference.js';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(here, '../../../artifacts/docs');
/** The embedded default model, the folder vite.config.ts serves as /models/default/. */
const defaultModel = resolve(here, '../../../models/default');

/** The tasks whose model class an AlbertForPreTraining checkpoint holds (encoder, pooler, MLM and SOP heads). */
const OWN_HEADS = new Set(['fill-mask', 'feature-extraction', 'sentence-order']);

describe('docs site in Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  /** One browser context for every page: its HTTP cache spares re-downloading the modules and wasm binaries. */
  let context: BrowserContext;
  let base: string;
  let models: string;
  const errors: string[] = [];

  beforeAll(async () => {
    models = fixtureModels();
    process.env.ALBERT_DOCS_EXTRA_MODELS = models;
    server = await createServer({
      configFile: resolve(here, '../vite.config.ts'),
      server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
      logLevel: 'error',
    });
    await server.listen();
    base = server.resolvedUrls!.local[0]!;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_WEBGPU_ARGS] });
    context = await browser.newContext();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(110_000); // the first page load makes vite transform every module (slow on a busy machine)
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(`${base}${path}`);
    return page;
  }

  /** Opens a task page (`model`: a ?model= URL, or undefined for the page's default), clicks Run, waits. */
  async function runExample(
    taskId: string,
    backend: string,
    model: string | undefined,
  ): Promise<{ page: Page; json: unknown; status: string; note: string | null; fetched: string[] }> {
    const query = `${model ? `model=${model}&` : ''}backend=${backend}`;
    const page = await open(`tasks/${taskId}.html?${query}`);
    const fetched: string[] = [];
    page.on('response', (r) => {
      if (r.ok()) fetched.push(new URL(r.url()).pathname);
    });
    await page.click('#run');
    await page.waitForFunction(
      () => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''),
      null,
      { timeout: 110_000 },
    );
    const status = (await page.textContent('#status')) ?? '';
    const shot = `${taskId}-${backend}${model ? '' : '-default-model'}.png`;
    await page.screenshot({ path: join(artifacts, shot), fullPage: true });
    const raw = await page.getAttribute('#result', 'data-json');
    const note = (await page.locator('#untrained-head').count()) ? await page.textContent('#untrained-head') : null;
    return { page, json: raw ? JSON.parse(raw) : undefined, status, note, fetched };
  }

  const STATUS: Record<string, RegExp> = {
    tfjs: /^done in \d+ ms on tfjs-wasm/,
    webgpu: /^done in \d+ ms on WebGPU .*swiftshader/i,
    onnx: /^done in \d+ ms on onnxruntime-web wasm/,
  };

  describe('on fixture models (?model=)', () => {
    it.each(TASKS.map((t) => t.id))('%s page runs on TF.js wasm and shows what Node computes', async (taskId) => {
      const t = taskById(taskId);
      const { page, json, status } = await runExample(taskId, 'tfjs', `/extra-models/${t.head}/`);
      expect(status).toMatch(STATUS.tfjs!);
      expectClose(json, await pipelineInNode(join(models, t.head), taskId));
      expect(await page.locator('#result table, #result p').count()).toBeGreaterThan(0);
      await page.close();
    });

    it.each(['webgpu', 'onnx'])('fill-mask runs on %s in the browser with the same result', async (backend) => {
      const { page, json, status } = await runExample('fill-mask', backend, '/extra-models/AlbertForMaskedLM/');
      expect(status).toMatch(STATUS[backend]!);
      expectClose(json, await pipelineInNode(join(models, 'AlbertForMaskedLM'), 'fill-mask'));
      await page.close();
    });
  });

  describe('on the embedded default model (no ?model)', () => {
    it('the dev server serves models/default from the repository, and only its model files', async () => {
      for (const f of ['config.json', 'tokenizer.json']) {
        const r = await fetch(`${base}models/default/${f}`);
        expect(r.status, f).toBe(200);
        expect(await r.text(), f).toBe(readFileSync(join(defaultModel, f), 'utf8'));
      }
      const weights = Buffer.from(await (await fetch(`${base}models/default/model.safetensors`)).arrayBuffer());
      expect(weights.equals(readFileSync(join(defaultModel, 'model.safetensors')))).toBe(true);
      for (const f of ['train.ts', 'train-log.json', 'README.md'])
        expect((await fetch(`${base}models/default/${f}`)).status, f).toBe(404);
    });

    it('vite preview serves models/default from the repository too (not only a copy made by an older build)', async () => {
      const dist = mkdtempSync(join(tmpdir(), 'albert-docs-dist-'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>empty build</title>');
      const preview = await previewServer({
        configFile: resolve(here, '../vite.config.ts'),
        build: { outDir: dist },
        preview: { port: 0, host: '127.0.0.1' },
        logLevel: 'error',
      });
      try {
        const url = preview.resolvedUrls!.local[0]!;
        const r = await fetch(`${url}models/default/config.json`);
        expect(r.status).toBe(200);
        expect(await r.text()).toBe(readFileSync(join(defaultModel, 'config.json'), 'utf8'));
        expect((await fetch(`${url}models/default/train.ts`)).status).toBe(404);
      } finally {
        await preview.close();
      }
    });

    it.each(['tfjs', 'webgpu', 'onnx'])(
      'fill-mask page runs the default model on %s and shows what pipeline() computes in Node',
      async (backend) => {
        const { page, json, status, note, fetched } = await runExample('fill-mask', backend, undefined);
        expect(status).toMatch(STATUS[backend]!);
        expect(await page.textContent('#model')).toContain('/models/default/ (the embedded default model');
        expect(fetched).toEqual(
          expect.arrayContaining(['/models/default/config.json', '/models/default/model.safetensors']),
        );
        expect(fetched.filter((u) => u.includes('/extra-models/'))).toEqual([]);
        expect(note).toBeNull();
        expectClose(json, await pipelineInNode(defaultModel, 'fill-mask'));
        await page.close();
      },
    );

    it.each(['feature-extraction', 'sentence-order'])(
      '%s page runs the default model with its own head on TF.js wasm, as pipeline() in Node',
      async (taskId) => {
        const { page, json, status, note } = await runExample(taskId, 'tfjs', undefined);
        expect(status).toMatch(STATUS.tfjs!);
        expect(note).toBeNull();
        expectClose(json, await pipelineInNode(defaultModel, taskId));
        await page.close();
      },
    );

    it.each(TASKS.filter((t) => !OWN_HEADS.has(t.id)).map((t) => t.id))(
      '%s page on the default model (no such head) says the head is newly initialized and shows what Node computes',
      async (taskId) => {
        const t = taskById(taskId);
        const { page, json, status, note } = await runExample(taskId, 'tfjs', undefined);
        expect(status).toMatch(STATUS.tfjs!);
        // The head weights the checkpoint lacks, as core's load report names them.
        const { config, tensors } = await readCheckpointDir(defaultModel);
        const { missing } = bindWeights(t.head, config, tensors, { allowMissing: true }).report;
        expect(missing.length).toBeGreaterThan(0);
        expect(note).toContain(
          `This model has no fine-tuned ${t.head} head: ${missing.length} head weight(s) (${missing.join(', ')}) were newly initialized`,
        );
        const node = await pageLoaderInNode(`${base}models/default/`, taskId);
        expect(node.initialized).toEqual(missing);
        expectClose(json, node.json);
        await page.close();
      },
    );

    it("the default model is an AlbertForPreTraining checkpoint lacking exactly the other tasks' heads", async () => {
      const { config, tensors } = await readCheckpointDir(defaultModel);
      expect(config.architectures).toEqual(['AlbertForPreTraining']);
      const lacking = TASKS.filter(
        (t) => bindWeights(t.head, config, tensors, { allowMissing: true }).report.missing.length > 0,
      ).map((t) => t.id);
      expect(lacking).toEqual(TASKS.filter((t) => !OWN_HEADS.has(t.id)).map((t) => t.id));
    });
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
