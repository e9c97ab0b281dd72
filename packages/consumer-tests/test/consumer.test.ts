// The consumer tier: albertjs as npm users get it. Every publishable package is packed (`pnpm pack`), the
// tarballs are installed with plain npm into a project under os.tmpdir() (no workspace links), and there:
// the README's "Quick look" runs as written (local folder and Hub id against the local Hub mirror), every CLI
// task runs with and without --model (compared with the workspace's CLI run in-process), TypeScript checks a
// consumer file with moduleResolution node16 and bundler and skipLibCheck false, require() loads every package,
// and a Vite app (vite build, then the built output served) runs fill-mask in headless Chromium on the tfjs
// (wasm), onnx (onnxruntime-web) and webgpu backends, compared with the same pipeline in Node.
// ALBERTJS_CONSUMER_DIR=<dir of an earlier run> reuses its install (development only; nothing is deleted then).
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bufferIO, main } from '@albertjs/cli';
import { loadPretrained } from '@albertjs/core';
import { createBackend } from '@albertjs/onnx';
import { CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS, DEFAULT_FIXTURES_DIR } from '@albertjs/parity-tests';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos } from '../../../tooling/hub-mirror/repos.mjs';
import { BROWSER_TEXT, writeBrowserApp } from '../src/browser-app.js';
import { codeBlocksUnder } from '../src/markdown.js';
import { run, runOk } from '../src/process.js';
import { type ConsumerProject, createConsumerProject, NPM_ENV } from '../src/project.js';
import { publishablePackages, REPO } from '../src/workspace.js';

const reuse = process.env.ALBERTJS_CONSUMER_DIR;
let project: ConsumerProject;
let app: string;
let defaultModelDir: string;

beforeAll(async () => {
  project = reuse
    ? { root: reuse, app: join(reuse, 'app'), tarballs: new Map(), remove: () => {} }
    : await createConsumerProject();
  app = project.app;
  defaultModelDir = join(app, 'node_modules/@albertjs/default-model');
}, 480_000);

afterAll(() => project?.remove());

/** `node <file>` / `node -e` in the consumer project. */
const node = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, args, { cwd: app, env: { ...NPM_ENV, ...env }, timeoutMs: 120_000 });

describe('installed from npm tarballs', () => {
  it('every publishable package is a real folder in node_modules (no workspace link) with LICENSE', () => {
    for (const { pj } of publishablePackages()) {
      const dir = join(app, 'node_modules', pj.name);
      expect(existsSync(dir), `${pj.name} is not installed in ${app}`).toBe(true);
      expect(lstatSync(dir).isSymbolicLink(), `${dir} is a link`).toBe(false);
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `${pj.name}/LICENSE`).toBe(
        readFileSync(join(REPO, 'LICENSE'), 'utf8'),
      );
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(JSON.stringify(installed), `${pj.name}'s package.json keeps a workspace: range`).not.toContain(
        'workspace:',
      );
    }
  });

  it('one protobufjs major is installed', async () => {
    const r = await run('npm', ['ls', 'protobufjs', '--all', '--json'], { cwd: app, env: NPM_ENV });
    const versions = new Set<string>();
    const walk = (deps: Record<string, { version?: string; dependencies?: object }> | undefined) => {
      for (const [name, d] of Object.entries(deps ?? {})) {
        if (name === 'protobufjs' && d.version) versions.add(d.version);
        walk(d.dependencies as never);
      }
    };
    walk(JSON.parse(r.stdout).dependencies);
    const majors = new Set([...versions].map((v) => v.split('.')[0]));
    expect([...majors], `protobufjs versions installed: ${[...versions].join(', ')}`).toHaveLength(1);
  });

  it('require() loads every package (Node >= 20.19 require of ESM) with the same exports as import()', async () => {
    for (const { pj } of publishablePackages()) {
      const r = await node([
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const req = createRequire(process.cwd() + '/');
         const a = Object.keys(req(${JSON.stringify(pj.name)})).sort();
         const b = Object.keys(await import(${JSON.stringify(pj.name)})).sort();
         console.log(JSON.stringify({ a, b }));`,
      ]);
      expect(r.code, r.log).toBe(0);
      const { a, b } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { a: string[]; b: string[] };
      expect(a.length, `require('${pj.name}') exports nothing`).toBeGreaterThan(0);
      expect(a.filter((k) => k !== 'module.exports' && k !== 'default')).toEqual(b.filter((k) => k !== 'default'));
    }
    // the way the issue reproduced it: a CommonJS one-liner
    const cjs = await node(['-e', "console.log(typeof require('@albertjs/core').loadPretrained)"]);
    expect(cjs.code, cjs.log).toBe(0);
    expect(cjs.stdout.trim()).toBe('function');
  });
});

describe("the README's Quick look", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const [snippet] = codeBlocksUnder(readme, 'Quick look', 'ts');
  const folderLiteral = "'./albert-base-v2'";
  const hubLiteral = "'albert/albert-base-v2'";
  // After the snippet: the logits' shape and the top token at [MASK], for the comparison below.
  const report = `
const ids = Array.from(enc.input_ids.data, Number);
const mask = ids.indexOf(tokenizer.convertTokensToIds(['[MASK]'])[0]);
const V = logits.shape[2];
const row = Array.from(logits.data.subarray(mask * V, (mask + 1) * V));
const top = row.indexOf(Math.max(...row));
console.log(JSON.stringify({ shape: logits.shape, mask, top, row }));
`;

  /** The same forward pass computed in the workspace (sources), for comparison. */
  async function reference(dir: string) {
    const { config, weights } = await loadPretrained(dir, 'AlbertForMaskedLM');
    const tokenizer = await AlbertTokenizerFast.fromPretrained(dir);
    const model = await (await createBackend()).loadModel('AlbertForMaskedLM', config, weights);
    const enc = tokenizer.call('The capital of [MASK] is Paris.', { returnTensors: 'int64' });
    const { logits } = await model.forward({ input_ids: enc.input_ids, attention_mask: enc.attention_mask });
    return { shape: logits.shape, data: logits.data as Float32Array };
  }

  function check(out: string, ref: { shape: readonly number[]; data: Float32Array }) {
    const got = JSON.parse(out.trim().split('\n').pop()!) as {
      shape: number[];
      mask: number;
      top: number;
      row: number[];
    };
    expect(got.shape).toEqual([...ref.shape]);
    expect(got.mask, 'no [MASK] in the ids the snippet tokenized').toBeGreaterThan(0);
    const V = ref.shape[2]!;
    const r = Array.from(ref.data.subarray(got.mask * V, (got.mask + 1) * V));
    expect(got.top).toBe(r.indexOf(Math.max(...r)));
    expect(got.row).toHaveLength(V);
    for (let i = 0; i < V; i++) expect(Math.abs(got.row[i]! - r[i]!), `logit ${i} at [MASK]`).toBeLessThan(1e-4);
  }

  it('is one ts block that loads ./albert-base-v2 (a local folder) and mentions the Hub id form', () => {
    expect(snippet, 'README.md has no ```ts block under "## Quick look"').toBeDefined();
    expect(snippet).toContain(folderLiteral);
    expect(snippet).toContain(hubLiteral);
  });

  it('runs as written on a local folder ./albert-base-v2', async () => {
    // the user's folder: the small model @albertjs/default-model ships (the Hub mirror serves it under this id too)
    cpSync(defaultModelDir, join(app, 'albert-base-v2'), { recursive: true });
    writeFileSync(join(app, 'quick-look.mjs'), `${snippet}\n${report}`);
    const r = await node(['quick-look.mjs']);
    expect(r.code, r.log).toBe(0);
    check(r.stdout, await reference(defaultModelDir));
  });

  it("runs with the Hub id 'albert/albert-base-v2' against the local Hub mirror (HF_ENDPOINT)", async () => {
    const code = snippet!.replace(`const dir = ${folderLiteral};`, `const dir = ${hubLiteral};`);
    expect(code, `the snippet no longer says const dir = ${folderLiteral};`).not.toBe(snippet);
    writeFileSync(join(app, 'quick-look-hub.mjs'), `${code}\n${report}`);
    const cache = join(project.root, 'hf-cache');
    mkdirSync(cache, { recursive: true });
    const mirror = await startHubMirror({ repos: fixtureRepos() });
    try {
      const r = await node(['quick-look-hub.mjs'], { HF_ENDPOINT: mirror.url, HF_HUB_CACHE: cache });
      expect(r.code, r.log).toBe(0);
      // the mirror serves @albertjs/default-model's files under this id (tooling/hub-mirror/repos.mjs)
      check(r.stdout, await reference(defaultModelDir));
      expect(
        mirror.log.some((l) => l.path.includes('/albert/albert-base-v2/resolve/')),
        'no request reached the mirror',
      ).toBe(true);
    } finally {
      await mirror.close();
    }
  });
});

describe('the albert CLI (installed bin)', () => {
  /** A Hub-style model folder outside the workspace: a fixture model with the spm-en-1000 tokenizer (same vocab). */
  function taskModel(head: string): string {
    const dir = join(project.root, 'models', head);
    if (existsSync(dir)) return dir;
    mkdirSync(dir, { recursive: true });
    for (const f of ['config.json', 'model.safetensors'])
      cpSync(join(DEFAULT_FIXTURES_DIR, 'models/tiny', head, f), join(dir, f));
    for (const f of ['tokenizer.json', 'spiece.model', 'tokenizer_config.json'])
      cpSync(join(DEFAULT_FIXTURES_DIR, 'tokenizers/spm-en-1000', f), join(dir, f));
    return dir;
  }

  /** Numbers within 1e-5, everything else equal. */
  function expectClose(got: unknown, want: unknown, where: string): void {
    if (typeof want === 'number') {
      expect(typeof got, where).toBe('number');
      expect(Math.abs((got as number) - want), `${where}: ${got} vs ${want}`).toBeLessThan(1e-5);
    } else if (Array.isArray(want)) {
      expect(Array.isArray(got) && got.length, where).toBe(want.length);
      for (const [i, w] of want.entries()) expectClose((got as unknown[])[i], w, `${where}[${i}]`);
    } else if (want && typeof want === 'object') {
      expect(Object.keys(got as object).sort(), where).toEqual(Object.keys(want).sort());
      for (const [k, w] of Object.entries(want)) expectClose((got as Record<string, unknown>)[k], w, `${where}.${k}`);
    } else expect(got, where).toEqual(want);
  }

  const TASKS: { task: string; args: string[]; head: string; defaultOk: boolean }[] = [
    { task: 'fill-mask', args: ['The capital of [MASK] is Paris.'], head: 'AlbertForMaskedLM', defaultOk: true },
    { task: 'classify', args: ['This is good.'], head: 'AlbertForSequenceClassification', defaultOk: false },
    { task: 'ner', args: ['alice lives in paris'], head: 'AlbertForTokenClassification', defaultOk: false },
    {
      task: 'qa',
      args: ['what is tested?', 'the command line is tested here.'],
      head: 'AlbertForQuestionAnswering',
      defaultOk: false,
    },
    { task: 'choice', args: ['the sky is', 'blue', 'green'], head: 'AlbertForMultipleChoice', defaultOk: false },
    { task: 'embed', args: ['one text', 'another text'], head: 'AlbertModel', defaultOk: true },
    { task: 'sop', args: ['first part.', 'second part.'], head: 'AlbertForPreTraining', defaultOk: true },
    { task: 'tokenize', args: ['Hello world!'], head: 'AlbertModel', defaultOk: true },
  ];

  /** The installed CLI vs the workspace's CLI in-process, on the same arguments: same exit code and output. */
  async function compareWithWorkspace(argv: string[], expectOk: boolean) {
    // node_modules/.bin/albert is what `npx albert` runs (the README line below goes through npx itself)
    const installed = await run(join(app, 'node_modules/.bin/albert'), argv, {
      cwd: app,
      env: NPM_ENV,
      timeoutMs: 120_000,
    });
    const io = bufferIO();
    const code = await main(argv, io);
    const here = { out: io.stdout.join('\n'), err: io.stderr.join('\n') };
    expect(installed.code, installed.log).toBe(code);
    expect(installed.code === 0, installed.log).toBe(expectOk);
    if (code === 0) {
      const unpath = (s: string) =>
        s.split(defaultModelDir).join('<default>').split(resolve(REPO, 'models/default')).join('<default>');
      expectClose(JSON.parse(unpath(installed.stdout)), JSON.parse(unpath(here.out)), argv.join(' '));
    } else expect(installed.stderr.trim()).toBe(here.err.trim());
  }

  it.each(TASKS)('$task with --model <folder>', async ({ task, args, head }) => {
    const backend = task === 'tokenize' ? [] : ['--backend', 'onnx'];
    await compareWithWorkspace([task, ...args, '--model', taskModel(head), ...backend, '--json'], true);
  });

  it.each(TASKS)('$task without --model (the embedded default model)', async ({ task, args, defaultOk }) => {
    const backend = task === 'tokenize' ? [] : ['--backend', 'onnx'];
    await compareWithWorkspace([task, ...args, ...backend, '--json'], defaultOk);
  });

  it('info with a folder and with "default"', async () => {
    await compareWithWorkspace(['info', taskModel('AlbertForMaskedLM'), '--json'], true);
    await compareWithWorkspace(['info', 'default', '--json'], true);
  });

  it('the README command runs as written, offline, with no --model and no --backend', async () => {
    const readme = readFileSync(join(REPO, 'apps/cli/README.md'), 'utf8');
    const line = readme.split('\n').find((l) => l.startsWith('albert fill-mask '));
    expect(line, 'apps/cli/README.md shows no `albert fill-mask` line').toBeDefined();
    const text = /^albert fill-mask "([^"]+)"/.exec(line!)?.[1];
    expect(text, line).toBe('The capital of [MASK] is Paris.');
    const r = await run('npx', ['--no', 'albert', 'fill-mask', text!], {
      cwd: app,
      env: { ...NPM_ENV, HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'http://127.0.0.1:9' },
      timeoutMs: 120_000,
    });
    expect(r.code, r.log).toBe(0);
    const io = bufferIO();
    expect(await main(['fill-mask', text!], io)).toBe(0);
    expect(r.stdout.trim()).toBe(io.stdout.join('\n').trim());
  });
});

describe('TypeScript (skipLibCheck: false)', () => {
  const CONSUMER_TS = `import { loadPretrained, type Tensor } from '@albertjs/core';
import { createBackend as onnxBackend } from '@albertjs/onnx';
import { createBackend as tfjsBackend } from '@albertjs/tfjs';
import { createBackend as webgpuBackend } from '@albertjs/webgpu';
import { type FillMaskPrediction, pipeline } from '@albertjs/pipelines';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';
import { defaultModelDir } from '@albertjs/default-model';
import { runBench } from '@albertjs/bench';
import { main } from '@albertjs/cli';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

export async function consumer(): Promise<FillMaskPrediction[]> {
  const onWeb = await onnxBackend({ ort: ortWeb, runtime: 'web' });
  const onNode = await onnxBackend({ ort: ortNode });
  const others = [await tfjsBackend({ runtime: 'wasm' }), await webgpuBackend()];
  void others;
  void onWeb;
  const { config } = await loadPretrained(defaultModelDir ?? './model', 'AlbertForMaskedLM');
  const tokenizer = await AlbertTokenizerFast.fromPretrained(defaultModelDir ?? './model');
  const t: Tensor | number[] | number[][] = tokenizer.call('x').input_ids;
  void t;
  void config;
  void runBench;
  void main;
  const fill = await pipeline('fill-mask', defaultModelDir, { backend: onNode });
  return (await fill.run('The capital of [MASK] is Paris.')) as FillMaskPrediction[];
}
`;

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('a consumer file and the README snippet type-check with moduleResolution %s', async (name, resolution) => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const dir = join(app, `ts-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(
      join(dir, 'quick-look.ts'),
      `${codeBlocksUnder(readme, 'Quick look', 'ts')[0]}\nexport { logits };\n`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...resolution,
          target: 'es2022',
          lib: ['es2023', 'dom'],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    const r = await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      cwd: dir,
      timeoutMs: 180_000,
    });
    expect(r.code, r.log).toBe(0);
  });
});

describe('a Vite app in headless Chromium', () => {
  let browser: Browser | undefined;
  let preview: { url: string; stop: () => void } | undefined;
  let nodePredictions: { token: number; token_str: string; score: number }[];

  beforeAll(async () => {
    const web = writeBrowserApp(app);
    await runOk(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: web,
      timeoutMs: 300_000,
    });
    preview = await startPreview(web);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_WEBGPU_ARGS] });
    // the same pipeline in Node, in the consumer project (onnxruntime-node)
    writeFileSync(
      join(app, 'fill-node.mjs'),
      `import { pipeline } from '@albertjs/pipelines';
import { createBackend } from '@albertjs/onnx';
const fill = await pipeline('fill-mask', undefined, { backend: await createBackend() });
console.log(JSON.stringify(await fill.run(${JSON.stringify(BROWSER_TEXT)}, { topK: 5 })));
`,
    );
    const r = await runOk(process.execPath, ['fill-node.mjs'], { cwd: app, env: NPM_ENV });
    nodePredictions = JSON.parse(r.stdout.trim().split('\n').pop()!);
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    preview?.stop();
  });

  it.each(['tfjs', 'onnx', 'webgpu'])('fill-mask on %s gives the Node predictions', async (backend) => {
    const page = await browser!.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
    try {
      await page.goto(`${preview!.url}?backend=${backend}`);
      await page.waitForFunction(() => (window as { __albert?: unknown }).__albert !== undefined, undefined, {
        timeout: 120_000,
      });
      const result = (await page.evaluate(() => (window as { __albert?: unknown }).__albert)) as {
        ok: boolean;
        error?: string;
        description?: string;
        predictions?: { token: number; token_str: string; score: number }[];
      };
      expect(result.ok, `${result.error}\n${console.join('\n')}`).toBe(true);
      const got = result.predictions!;
      expect(
        got.map((p) => p.token_str),
        result.description,
      ).toEqual(nodePredictions.map((p) => p.token_str));
      for (let i = 0; i < got.length; i++)
        expect(Math.abs(got[i]!.score - nodePredictions[i]!.score), `${backend} score ${i}`).toBeLessThan(1e-4);
    } finally {
      await page.close();
    }
  });
});

/** `vite preview` of the built app on a free port; resolves once it prints its URL. */
async function startPreview(web: string): Promise<{ url: string; stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
  const child = spawn(
    process.execPath,
    [
      join(app, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: web, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`vite preview printed no URL in 60 s:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: vite colours its output
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(log.replace(/\x1b\[[0-9;]*m/g, ''));
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => fail(new Error(`vite preview exited (${code}):\n${log}`)));
  });
  return { url, stop: () => child.kill() };
}
