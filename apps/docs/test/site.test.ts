// The BUILT docs site (vite build, once) served as static files under a sub-folder (/site/, as a project page
// would be), in Debian's Chromium with WebGPU on SwiftShader. Every task page runs its live example — the code it
// shows, `pipeline(task, '/site/models/default/', { backend })` — on all three backends and must show what the same
// pipeline computes in Node on the same files; the fixture models (?model=) run on fine-tuned-shaped heads; every
// Getting started code block runs as shown; the Parity and Benchmarks pages hold the committed data, drawn.
// Screenshots go to artifacts/docs/.
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from '@albertjs/parity-tests';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCommands } from '../src/data/commands.js';
import { GUIDE_SNIPPETS } from '../src/live/getting-started.js';
import { BACKEND_CHOICES } from '../src/live/snippet.js';
import { defaultValues, TASKS, taskById, taskSnippet } from '../src/live/tasks.js';
import { expectClose, fixtureModels, loadingSnippetInNode, pipelineInNode } from './node-reference.js';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = resolve(here, '../../../artifacts/docs');
/** The embedded default model, which the build copies into dist/models/default/. */
const defaultModel = resolve(here, '../../../models/default');
const data = resolve(here, '../data');
/** Where the static server mounts dist/. */
const MOUNT = '/site/';
/** What the pages' code blocks are written for there. */
const SITE = { root: MOUNT, model: `${MOUNT}models/default/` };

/** The tasks whose model class an AlbertForPreTraining checkpoint holds (encoder, pooler, MLM and SOP heads). */
const OWN_HEADS = new Set(['fill-mask', 'feature-extraction', 'sentence-order']);

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** A plain static file server of `root` under MOUNT: no fallbacks, 404 for anything else. */
function serveStatic(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (!path.startsWith(MOUNT)) return void res.writeHead(404).end();
    let file = resolve(root, `.${path.slice(MOUNT.length - 1)}`);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root + sep) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

describe('the built docs site in Chromium', () => {
  let dist: string;
  let server: Server;
  let browser: Browser;
  /** One browser context for every page: its HTTP cache spares re-downloading the modules and wasm binaries. */
  let context: BrowserContext;
  let base: string;
  let models: string;
  const errors: string[] = [];
  /** What vite build warned about. */
  const buildWarnings: string[] = [];

  beforeAll(async () => {
    models = fixtureModels();
    process.env.ALBERT_DOCS_EXTRA_MODELS = models; // copied into dist/extra-models/ by the build
    dist = mkdtempSync(join(tmpdir(), 'albert-docs-dist-'));
    const logger = createLogger('warn');
    const warn = logger.warn;
    logger.warn = (msg, o) => {
      buildWarnings.push(msg);
      warn(msg, o);
    };
    await build({ configFile: resolve(here, '../vite.config.ts'), build: { outDir: dist }, customLogger: logger });
    server = await serveStatic(dist);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${MOUNT}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_WEBGPU_ARGS] });
    context = await browser.newContext();
    mkdirSync(artifacts, { recursive: true });
  }, 480_000); // the build: ~30 s on an idle machine, minutes on a loaded one

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((r) => server.close(r));
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    await page.goto(`${base}${path}`);
    return page;
  }

  /** Opens a task page, clicks Run, waits for the result. */
  async function runExample(taskId: string, backend: string, model?: string) {
    const page = await open(`tasks/${taskId}.html?${model ? `model=${model}&` : ''}backend=${backend}`);
    await page.click('#run');
    await page.waitForFunction(
      () => ['done', 'error'].includes(document.querySelector<HTMLElement>('#status')?.dataset.state ?? ''),
      null,
      { timeout: 90_000 },
    );
    const status = (await page.textContent('#status')) ?? '';
    await page.screenshot({
      path: join(artifacts, `${taskId}-${backend}${model ? '-fixture' : ''}.png`),
      fullPage: true,
    });
    const raw = await page.getAttribute('#result', 'data-json');
    const note = (await page.locator('#untrained-head').count()) ? await page.textContent('#untrained-head') : null;
    const code = (await page.textContent('#code')) ?? '';
    await page.close();
    return { json: raw ? JSON.parse(raw) : undefined, status, note, code };
  }

  /** What backend.describe() says in this browser. */
  const DEVICE: Record<string, string> = {
    tfjs: 'tfjs-wasm',
    webgpu: 'WebGPU .*swiftshader',
    onnx: 'onnxruntime-web wasm',
  };
  const STATUS = Object.fromEntries(
    Object.entries(DEVICE).map(([k, d]) => [k, new RegExp(`^done in \\d+ ms on ${d}`, 'i')]),
  );

  describe.each(TASKS.map((t) => t.id))('%s page on the embedded default model', (taskId) => {
    const t = taskById(taskId);
    let node: { json: unknown; warnings: string[] };
    beforeAll(async () => {
      node = await pipelineInNode(defaultModel, taskId);
    });

    it.each(BACKEND_CHOICES.map((b) => b.id))(
      'runs the code it shows on %s and shows what pipeline() computes in Node',
      async (backend) => {
        const r = await runExample(taskId, backend);
        expect(r.status).toMatch(STATUS[backend]!);
        expect(r.code).toBe(taskSnippet(t, SITE, backend, defaultValues(t)));
        expectClose(r.json, node.json);
        if (OWN_HEADS.has(taskId)) {
          expect(r.note).toBeNull();
          expect(node.warnings).toEqual([]);
        } else {
          // transformers' warning, naming the newly initialized head weights, as pipeline() gives it in Node
          expect(node.warnings).toHaveLength(1);
          expect(r.note).toContain(node.warnings[0]!.replace(defaultModel, `${MOUNT}models/default/`));
        }
      },
    );
  });

  it.each(TASKS.map((t, i) => [t.id, BACKEND_CHOICES[i % 3]!.id]))(
    '%s page runs a fixture model (?model=) on %s as pipeline() in Node',
    async (taskId, backend) => {
      const t = taskById(taskId);
      const r = await runExample(taskId, backend, `${MOUNT}extra-models/${t.head}/`);
      expect(r.status).toMatch(STATUS[backend]!);
      expect(r.note).toBeNull();
      expect(r.code).toContain(`await pipeline('${taskId}', '${MOUNT}extra-models/${t.head}/', { backend })`);
      expectClose(r.json, (await pipelineInNode(join(models, t.head), taskId)).json);
    },
  );

  it('Getting started: every code block runs as shown and logs what Node computes', async () => {
    const page = await open('getting-started.html');
    await page.waitForSelector('[data-snippet] pre.snippet');
    for (const s of GUIDE_SNIPPETS) {
      const box = page.locator(`[data-snippet="${s.id}"]`);
      expect(await box.locator('pre.snippet').textContent()).toBe(s.code(SITE));
      await box.locator('button.run').click();
      await page.waitForFunction(
        (id) =>
          ['done', 'error'].includes(
            document.querySelector<HTMLElement>(`[data-snippet="${id}"] .status`)?.dataset.state ?? '',
          ),
        s.id,
        { timeout: 90_000 },
      );
      const status = await box.locator('.status').textContent();
      expect(status, s.id).toMatch(/^done in \d+ ms$/);
      const logs = JSON.parse((await box.locator('.output').getAttribute('data-json')) ?? '[]') as unknown[][];
      if (s.task) {
        expect(logs[0]![0], s.id).toMatch(new RegExp(`^${DEVICE[s.backend]}`, 'i'));
        expectClose(logs[1]![0], (await pipelineInNode(defaultModel, s.task.id)).json);
      } else expectClose(logs[0], await loadingSnippetInNode(defaultModel));
    }
    await page.screenshot({ path: join(artifacts, 'getting-started.png'), fullPage: true });
    await page.close();
  });

  it('the build bundles every package for the browser with no node: module to externalize', () => {
    expect(buildWarnings.filter((w) => /node:|externalized for browser compatibility/.test(w))).toEqual([]);
  });

  it('Getting started shows the shell commands the consumer tier runs (parsed from the built page)', async () => {
    const built = pageCommands(readFileSync(join(dist, 'getting-started.html'), 'utf8'));
    expect(built).toEqual(pageCommands(readFileSync(resolve(here, '../getting-started.html'), 'utf8')));
    const page = await open('getting-started.html');
    await page.waitForSelector('[data-snippet] pre.snippet');
    const shown = await page.locator('main > pre').allTextContents();
    expect(shown.map((t) => t.split('\n').filter((l) => l.trim()))).toEqual(built.map((b) => b.lines));
    // nothing an npm user cannot run: no command of the private packages (parity needs a clone)
    for (const l of built.flatMap((b) => b.lines)) expect(l).not.toMatch(/albert (parity|bench)\b/);
    await page.close();
  });

  it('Parity shows the committed matrix, rendered into the built HTML', async () => {
    const matrix = JSON.parse(readFileSync(join(data, 'parity-matrix.json'), 'utf8')) as {
      rows: string[];
      variants: string[];
      backends: string[];
      cells: Record<string, Record<string, Record<string, unknown>>>;
    };
    const html = readFileSync(join(dist, 'parity.html'), 'utf8');
    expect(html).toContain('<table id="parity-matrix">');
    const page = await open('parity.html');
    const rows = page.locator('#parity-matrix tbody tr');
    expect(await rows.count()).toBe(matrix.rows.length);
    const filled = Object.values(matrix.cells).flatMap((r) => Object.values(r).flatMap((v) => Object.keys(v)));
    expect(filled.length).toBeGreaterThan(0);
    expect(await page.locator('#parity-matrix td.pass, #parity-matrix td.fail').count()).toBe(filled.length);
    for (const b of matrix.backends) expect(await page.locator('#parity-matrix thead').textContent()).toContain(b);
    await page.screenshot({ path: join(artifacts, 'parity.png'), fullPage: true });
    await page.close();
  });

  it('Benchmarks shows one SVG chart per mode from the committed results', async () => {
    const results = JSON.parse(readFileSync(join(data, 'bench/results.json'), 'utf8')) as {
      modes: string[];
      cells: { mode: string; perTokenMs?: number }[];
      backends?: { name: string; failure?: string }[];
    };
    const page = await open('benchmarks.html');
    const charts = page.locator('#charts svg.chart');
    const withTimings = results.modes.filter((m) => results.cells.some((c) => c.mode === m && c.perTokenMs));
    expect(withTimings.length).toBeGreaterThan(0);
    expect(await charts.count()).toBe(withTimings.length);
    expect(await page.locator('#charts svg.chart path').count()).toBeGreaterThan(0);
    // every timed cell of every backend is a marker on the (log-scale) chart
    const timed = results.cells.filter((c) => c.perTokenMs);
    expect(await page.locator('#charts svg.chart circle').count()).toBe(timed.length);
    expect(await page.locator('#charts svg.chart').first().textContent()).toContain('log scale');
    for (const b of (results.backends ?? []).filter((x) => x.failure))
      expect(await page.locator('#charts').textContent()).toContain(`${b.name}: ${b.failure}`);
    await page.screenshot({ path: join(artifacts, 'benchmarks.png'), fullPage: true });
    await page.close();
  });

  it('every page loads without errors and every navigation link resolves', async () => {
    for (const p of ['index.html', 'getting-started.html', 'parity.html', 'benchmarks.html', 'tasks/fill-mask.html']) {
      const page = await open(p);
      await page.waitForSelector('nav a');
      const hrefs = await page.locator('nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(hrefs).toHaveLength(5 + TASKS.length);
      for (const h of hrefs.filter((x) => !x.includes('/api/')))
        expect((await fetch(h)).status, `${p} → ${h}`).toBe(200);
      await page.close();
    }
    const home = await open('index.html');
    expect(await home.locator('#task-list li').count()).toBe(TASKS.length);
    await home.close();
    expect(errors).toEqual([]);
  });

  it('the build holds the default model files only (not its training scripts and logs)', () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json'])
      expect(readFileSync(join(dist, 'models/default', f)).equals(readFileSync(join(defaultModel, f))), f).toBe(true);
    for (const f of ['train.ts', 'train-log.json', 'README.md'])
      expect(existsSync(join(dist, 'models/default', f)), f).toBe(false);
  });
});
