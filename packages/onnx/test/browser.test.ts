// The training graph in headless Chromium on onnxruntime-web (wasm): gradients() of a fixture model in the
// page, compared with PyTorch's (the package bundled by Vite as an app, onnxruntime-web's .wasm emitted next
// to it, served from 127.0.0.1).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from '@albertjs/core';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS, compareAll, listCases, pick } from '@albertjs/parity-tests';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireTensor } from './browser/entry.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
// one case (a loss objective; the cotangent objective and every head run on onnxruntime-web in Node, onnx-parity)
const CASES = ['tiny__AlbertForSequenceClassification__eager'];

describe('training graphs in headless Chromium (onnxruntime-web wasm)', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let app: string;
  const fixtures = listCases().filter((c) => CASES.includes(c.id));

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'albertjs-onnx-browser-'));
    writeFileSync(
      join(app, 'index.html'),
      `<!doctype html><script type="module">import * as m from ${JSON.stringify(join(here, 'browser/entry.ts'))}; window.albert = m; window.ready = true;</script>`,
    );
    await build({
      root: app,
      configFile: false,
      logLevel: 'warn',
      base: './',
      resolve: {
        conditions: ['@albertjs/source', 'browser', 'module', 'import', 'default'],
        alias: [{ find: /^@albertjs\/core$/, replacement: join(repo, 'packages/core/src/index.ts') }],
      },
      optimizeDeps: { exclude: ['onnxruntime-web'] },
      build: {
        outDir: join(app, 'dist'),
        emptyOutDir: true,
        minify: false,
        target: 'es2022',
        chunkSizeWarningLimit: 100000,
      },
    });
    const types: Record<string, string> = {
      '.js': 'text/javascript',
      '.mjs': 'text/javascript',
      '.html': 'text/html',
      '.json': 'application/json',
      '.wasm': 'application/wasm',
    };
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0]!;
      const model = /^\/model\/([^/]+)\/(config\.json|model\.safetensors)$/.exec(url);
      let file: string | undefined;
      if (model) file = join(fixtures.find((c) => c.id === decodeURIComponent(model[1]!))!.modelPath, model[2]!);
      else file = join(app, 'dist', url === '/' ? 'index.html' : url);
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_WEBGPU_ARGS] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it.each(CASES)(
    '%s: every gradient within 5e-4 of PyTorch',
    async (id) => {
      const fixture = fixtures.find((c) => c.id === id)!;
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => logs.push(String(e)));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
      const all = fixture.load();
      const inputs: Record<string, WireTensor> = {};
      const cotangents: Record<string, WireTensor> = {};
      for (const [k, t] of pick(all, 'in.')) {
        const w: WireTensor = {
          dtype: t.dtype === 'int64' ? 'int64' : 'float32',
          shape: [...t.shape],
          data: Array.from(t.data as ArrayLike<number | bigint>, Number),
        };
        if (k.startsWith('cotangent.')) cotangents[k.slice('cotangent.'.length)] = w;
        else inputs[k] = w;
      }
      const got = await page
        .evaluate(
          ([url, head, ins, cots]) =>
            (globalThis as unknown as { albert: typeof import('./browser/entry.js') }).albert.gradients(
              url as string,
              head as 'AlbertModel',
              ins as Record<string, WireTensor>,
              cots as Record<string, WireTensor>,
              ['wasm'],
            ),
          [`/model/${encodeURIComponent(id)}`, fixture.modelClass, inputs, cotangents] as const,
        )
        .catch((e: unknown) => {
          throw new Error(`${(e as Error).message}\npage console:\n${logs.join('\n')}`);
        });
      expect(got.describe).toContain('onnxruntime-web');
      const actual = new Map(Object.entries(got.grads).map(([k, v]) => [k, Tensor.f32(v.data, v.shape)]));
      const expected = pick(all, 'grad.');
      const diffs = compareAll(actual, expected);
      expect(diffs.filter((d) => d.error)).toEqual([]);
      expect(diffs[0]!.maxAbs, `worst ${diffs[0]!.name}`).toBeLessThanOrEqual(5e-4);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      await page.close();
    },
    120_000,
  );
});
