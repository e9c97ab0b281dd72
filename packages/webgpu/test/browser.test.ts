// One forward pass of a fixture model inside headless Chromium's WebGPU (SwiftShader when there is
// no GPU), compared with transformers' outputs: the package bundled by Vite, served from 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from '@albertjs/core';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS, compareAll, listCases, pick } from '@albertjs/parity-tests';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireTensor } from './browser/entry.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const CASE = 'tiny__AlbertForSequenceClassification__eager';

describe('headless Chromium WebGPU', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let outDir: string;
  const fixture = listCases().find((c) => c.id === CASE)!;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'albertjs-webgpu-browser-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      resolve: { alias: [{ find: /^@albertjs\/core$/, replacement: join(repo, 'packages/core/src/index.ts') }] },
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: join(here, 'browser/entry.ts'), formats: ['es'], fileName: () => 'bundle.js' },
      },
    });
    const files: Record<string, () => Buffer> = {
      '/': () =>
        Buffer.from(
          '<!doctype html><script type="module">import * as m from "/bundle.js"; window.albert = m; window.ready = true;</script>',
        ),
      '/bundle.js': () => readFileSync(join(outDir, 'bundle.js')),
      '/model/config.json': () => readFileSync(join(fixture.modelPath, 'config.json')),
      '/model/model.safetensors': () => readFileSync(join(fixture.modelPath, 'model.safetensors')),
    };
    const types: Record<string, string> = {
      js: 'text/javascript',
      json: 'application/json',
      safetensors: 'application/octet-stream',
    };
    server = createServer((req, res) => {
      const f = files[req.url ?? ''];
      if (!f) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[(req.url ?? '').split('.').pop() ?? ''] ?? 'text/html' }).end(f());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_WEBGPU_ARGS],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it(`${CASE}: every output within 1e-4 of transformers`, async () => {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    const all = fixture.load();
    const inputs: Record<string, WireTensor> = {};
    for (const [k, t] of pick(all, 'in.')) {
      inputs[k] = {
        dtype: t.dtype === 'int64' ? 'int64' : 'float32',
        shape: [...t.shape],
        data: Array.from(t.data as ArrayLike<number | bigint>, Number),
      };
    }
    const options = {
      outputHiddenStates: fixture.kwargs.output_hidden_states === true,
      outputAttentions: fixture.kwargs.output_attentions === true,
      attnImplementation: fixture.attn_implementation,
    };
    const got = await page
      .evaluate(
        ([head, ins, opts]) =>
          (globalThis as unknown as { albert: typeof import('./browser/entry.js') }).albert.runCase(
            '/model',
            head as 'AlbertModel',
            ins as Record<string, WireTensor>,
            opts as Parameters<typeof import('./browser/entry.js').runCase>[3],
          ),
        [fixture.modelClass, inputs, options] as const,
      )
      .catch((e: unknown) => {
        throw new Error(`${(e as Error).message}\npage console:\n${logs.join('\n')}`);
      });
    expect(got.describe).toMatch(/^WebGPU /);
    const actual = new Map(Object.entries(got.result).map(([k, v]) => [k, Tensor.f32(v.data, v.shape)]));
    const expected = pick(all, 'out.');
    const diffs = compareAll(actual, expected);
    expect(diffs.filter((d) => d.error)).toEqual([]);
    expect(diffs[0]!.maxAbs, `worst ${diffs[0]!.name}`).toBeLessThanOrEqual(1e-4);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    await page.close();
  });
});
