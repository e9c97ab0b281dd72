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
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCommands } from '../../../apps/docs/src/data/commands.js';
import { GUIDE_SNIPPETS } from '../../../apps/docs/src/live/getting-started.js';
import {
  expectClose as expectCloseJson,
  loadingSnippetInNode,
  pipelineInNode,
} from '../../../apps/docs/test/node-reference.js';
import { startHubMirror } from '../../../tooling/hub-mirror/mirror.mjs';
import { fixtureRepos } from '../../../tooling/hub-mirror/repos.mjs';
import { BROWSER_HUB_ID, BROWSER_TEXT, writeBrowserApp } from '../src/browser-app.js';
import { codeBlocksUnder, inlineCode, shellWords } from '../src/markdown.js';
import { run, runOk } from '../src/process.js';
import {
  type ConsumerProject,
  createConsumerProject,
  emptyNpmProject,
  NPM_ENV,
  reuseConsumerProject,
  shell,
} from '../src/project.js';
import { publishablePackages, REPO } from '../src/workspace.js';

const reuse = process.env.ALBERTJS_CONSUMER_DIR;
let project: ConsumerProject;
let app: string;
let defaultModelDir: string;

/** What the Getting started page's code blocks are written for on the docs site served at a root. */
const SITE_AT_ROOT = { root: '/', model: '/models/default/' };

/** The shell commands the Getting started page shows (the same in the built page: apps/docs/test/site.test.ts). */
const GETTING_STARTED = pageCommands(readFileSync(join(REPO, 'apps/docs/getting-started.html'), 'utf8'));
/** Its `npm install` lines, as written: the consumer project is installed with them first. */
const INSTALL_LINES = GETTING_STARTED.flatMap((b) => b.lines).filter((l) => l.startsWith('npm install '));

beforeAll(async () => {
  project = reuse ? await reuseConsumerProject(reuse) : await createConsumerProject(INSTALL_LINES);
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

/** The workspace's CLI in-process (sources), with `env` set for the call. */
async function workspaceCli(argv: string[], env: Record<string, string> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const io = bufferIO();
    const code = await main(argv, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The last stdout line of a run, as JSON. */
const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop()!) as T;

type Prediction = { token: number; token_str: string; score: number };
function expectSamePredictions(got: Prediction[], want: Prediction[], where: string, tol: number) {
  expect(
    got.map((p) => p.token_str),
    where,
  ).toEqual(want.map((p) => p.token_str));
  for (let i = 0; i < got.length; i++)
    expect(Math.abs(got[i]!.score - want[i]!.score), `${where}: score ${i}`).toBeLessThan(tol);
}

describe("the docs' shell commands, as written", () => {
  it('Getting started: every npm install line ran as written (the @albertjs scope from a registry, as published)', async () => {
    expect(INSTALL_LINES.length, 'Getting started shows no npm install line').toBeGreaterThanOrEqual(4);
    const ran = project.docInstalls.length
      ? project.docInstalls
      : await Promise.all(INSTALL_LINES.map(async (line) => ({ line, result: await shell(line, app) })));
    expect(ran.map((r) => r.line)).toEqual(INSTALL_LINES);
    for (const { result } of ran) expect(result.code, result.log).toBe(0);
    for (const line of INSTALL_LINES)
      for (const name of shellWords(line).slice(2))
        expect(existsSync(join(app, 'node_modules', name, 'package.json')), `${line}: ${name}`).toBe(true);
    if (!reuse) expect(project.registry.log.some((l) => l.startsWith('GET /@albertjs/'))).toBe(true);
  });

  it("each Getting started section's install line names every package its code imports", () => {
    for (const s of GUIDE_SNIPPETS) {
      const line = GETTING_STARTED.find(
        (b) => b.section === s.id && b.lines.some((l) => l.startsWith('npm install ')),
      )?.lines.find((l) => l.startsWith('npm install '));
      expect(line, `<h2 id="${s.id}"> has no npm install line`).toBeDefined();
      const names = new Set(shellWords(line!).slice(2));
      const code = s.code(SITE_AT_ROOT);
      const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      expect(imports.length, s.id).toBeGreaterThan(0);
      for (const i of imports) expect(names.has(i), `${s.id}: "${line}" does not install ${i}`).toBe(true);
      // the page's code runs in a browser: ONNX Runtime Web is what @albertjs/onnx runs there
      if (names.has('@albertjs/onnx')) expect(names.has('onnxruntime-web'), `${s.id}: ${line}`).toBe(true);
    }
  });

  it('every npx line of Getting started and the README runs as written and gives what the workspace CLI gives', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const lines = [
      ...new Set(
        [...GETTING_STARTED.flatMap((b) => b.lines), ...inlineCode(readme)].filter((l) => l.startsWith('npx ')),
      ),
    ];
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // the user's own model folder, for a line that names one (./my-albert)
    cpSync(defaultModelDir, join(app, 'my-albert'), { recursive: true });
    const mirror = await startHubMirror({ repos: fixtureRepos() });
    const cache = join(project.root, 'hf-cache-npx');
    const env = { HF_ENDPOINT: mirror.url, HF_HUB_CACHE: cache };
    try {
      for (const line of lines) {
        const words = shellWords(line);
        expect(words.slice(0, 2), line).toEqual(['npx', 'albert']);
        const r = await shell(line, app, env, 180_000);
        expect(r.code, r.log).toBe(0);
        const argv = words.slice(2).map((a, i, all) => (all[i - 1] === '--model' ? resolve(app, a) : a));
        const out = argv.indexOf('--out');
        if (out >= 0) {
          // the file it wrote is what the workspace CLI writes from the same folder
          const mine = join(project.root, `workspace-${argv[out + 1]!.replace(/\W/g, '_')}`);
          argv[out + 1] = mine;
          const ws = await workspaceCli(argv, env);
          expect(ws.code, ws.err).toBe(0);
          expect(readFileSync(join(app, words[words.indexOf('--out') + 1]!)).equals(readFileSync(mine)), line).toBe(
            true,
          );
        } else {
          const ws = await workspaceCli(argv, env);
          expect(ws.code, ws.err).toBe(0);
          const unpath = (t: string) =>
            t.split(defaultModelDir).join('<default>').split(resolve(REPO, 'models/default')).join('<default>');
          expect(unpath(r.stdout.trim()), line).toBe(unpath(ws.out.trim()));
        }
        for (const id of words.filter((w) => /^[\w-]+\/[\w.-]+$/.test(w) && !w.startsWith('.')))
          expect(
            mirror.log.some((l) => l.path.startsWith(`/${id}/resolve/`)),
            `${line}: no request for ${id} reached the Hub mirror`,
          ).toBe(true);
      }
    } finally {
      await mirror.close();
    }
  });

  it("the README's Pipelines block runs as written: the workspace's predictions, and the error it shows", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const [code] = codeBlocksUnder(readme, 'Pipelines', 'ts');
    expect(code, 'README.md has no ```ts block under "## Pipelines"').toBeDefined();
    const shown = /\/\/ mistake: '([^']+)'/.exec(code!)?.[1];
    expect(shown, 'the block no longer shows the mistake message').toBeDefined();
    const text = /unmasker\('([^']+)', \{ topK: (\d+) \}\)/.exec(code!);
    expect(text, 'the block no longer calls unmasker(text, { topK })').not.toBeNull();
    writeFileSync(
      join(app, 'pipelines-readme.mjs'),
      `${code}\nconsole.log(JSON.stringify({ predictions, mistake }));\n`,
    );
    const r = await node(['pipelines-readme.mjs']);
    expect(r.code, r.log).toBe(0);
    const got = lastJson<{ predictions: Prediction[]; mistake: string }>(r.stdout);
    expect(got.mistake).toBe(shown);
    const ws = await workspaceCli(['fill-mask', text![1]!, '--top-k', text![2]!, '--backend', 'onnx', '--json']);
    expect(ws.code, ws.err).toBe(0);
    expectSamePredictions(got.predictions, JSON.parse(ws.out), 'README Pipelines', 1e-5);
  });
});

describe('pipeline() with no backend option, from a packed install', () => {
  const SCRIPT = `import { defaultBackend, pipeline } from '@albertjs/pipelines';
try {
  const fill = await pipeline('fill-mask');
  const predictions = await fill('The capital of [MASK] is Paris.');
  console.log(JSON.stringify({ ok: true, backend: (await defaultBackend()).name, predictions }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.name, message: e.message }));
}
`;
  it('no backend package installed: a BackendError naming what to install; @albertjs/tfjs added: runs on tfjs', async () => {
    const dir = emptyNpmProject(join(project.root, 'no-backend'), project.registry);
    writeFileSync(join(dir, 'fill.mjs'), SCRIPT);
    const first = await shell('npm install @albertjs/pipelines', dir);
    expect(first.code, first.log).toBe(0);
    for (const b of ['onnx', 'tfjs', 'webgpu'])
      expect(existsSync(join(dir, 'node_modules/@albertjs', b)), `@albertjs/${b} got installed`).toBe(false);
    const none = await run(process.execPath, ['fill.mjs'], { cwd: dir, env: NPM_ENV, timeoutMs: 120_000 });
    const err = lastJson<{ ok: boolean; name: string; message: string }>(none.stdout);
    expect(err.ok, none.log).toBe(false);
    expect(err.name).toBe('BackendError');
    for (const b of ['onnx', 'tfjs', 'webgpu']) expect(err.message).toContain(`@albertjs/${b} is not installed`);
    expect(err.message).toContain('npm install @albertjs/onnx onnxruntime-node');

    const second = await shell('npm install @albertjs/tfjs', dir);
    expect(second.code, second.log).toBe(0);
    const tfjs = await run(process.execPath, ['fill.mjs'], { cwd: dir, env: NPM_ENV, timeoutMs: 120_000 });
    const ok = lastJson<{ ok: boolean; backend: string; predictions: Prediction[]; message?: string }>(tfjs.stdout);
    expect(ok.ok, `${ok.message}\n${tfjs.log}`).toBe(true);
    expect(ok.backend).toBe('tfjs');
    const ws = await workspaceCli(['fill-mask', 'The capital of [MASK] is Paris.', '--backend', 'tfjs', '--json']);
    expect(ws.code, ws.err).toBe(0);
    expectSamePredictions(ok.predictions, JSON.parse(ws.out), 'tfjs, picked by default', 1e-4);
  }, 300_000);
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
  /** One context for the pages that need no storage of their own: its HTTP cache keeps the wasm binaries. */
  let shared: BrowserContext;
  let preview: { url: string; stop: () => void } | undefined;
  let nodePredictions: Prediction[];
  let viteLog: string;

  beforeAll(async () => {
    const web = writeBrowserApp(app, Object.fromEntries(GUIDE_SNIPPETS.map((s) => [s.id, s.code(SITE_AT_ROOT)])));
    const built = await runOk(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build'], {
      cwd: web,
      timeoutMs: 300_000,
    });
    viteLog = `${built.stdout}\n${built.stderr}`;
    preview = await startPreview(web);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_WEBGPU_ARGS] });
    shared = await browser.newContext();
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

  /** Opens the app with `query` in `context` (default: the shared one), waits for its result and checks it is ok. */
  async function openApp(query: string, context?: BrowserContext) {
    const page = await (context ?? shared).newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
    try {
      await page.goto(`${preview!.url}${query}`);
      await page.waitForFunction(() => (window as { __albert?: unknown }).__albert !== undefined, undefined, {
        timeout: 120_000,
      });
      const result = (await page.evaluate(() => (window as { __albert?: unknown }).__albert)) as {
        ok: boolean;
        error?: string;
        description?: string;
        predictions?: Prediction[];
        cached?: string[];
        logs?: unknown[][];
      };
      expect(result.ok, `${result.error}\n${console.join('\n')}`).toBe(true);
      return result;
    } finally {
      await page.close();
    }
  }

  it('vite build of @albertjs/* for the browser warns about no node: module', () => {
    expect(viteLog).toContain('built in');
    expect(viteLog).not.toMatch(/externalized for browser compatibility/);
    expect(viteLog).not.toMatch(/["']?node:[a-z_/]+/);
  });

  it.each(['tfjs', 'onnx', 'webgpu'])('fill-mask on %s gives the Node predictions', async (backend) => {
    const result = await openApp(`?backend=${backend}`);
    expectSamePredictions(result.predictions!, nodePredictions, `${backend}: ${result.description}`, 1e-4);
  });

  it.each(GUIDE_SNIPPETS.map((s) => s.id))(
    'Getting started code block "%s", as the page shows it, bundled from the npm packages, logs what Node computes',
    async (id) => {
      const s = GUIDE_SNIPPETS.find((x) => x.id === id)!;
      const { logs } = (await openApp(`?snippet=${id}`)) as { logs?: unknown[][] };
      expect(logs?.length, id).toBeGreaterThan(0);
      const model = resolve(REPO, 'models/default');
      if (s.task) {
        expect(typeof logs![0]![0], 'first log: backend.describe()').toBe('string');
        expectCloseJson(logs![1]![0], (await pipelineInNode(model, s.task.id)).json);
      } else expectCloseJson(logs![0], await loadingSnippetInNode(model));
    },
  );

  it('a Hub id: the first load downloads from the Hub mirror, the second (mirror stopped) comes from the Cache API', async () => {
    const mirror = await startHubMirror({ repos: fixtureRepos() });
    let open = true;
    const context = await browser!.newContext();
    try {
      const query = `?backend=tfjs&hub=${encodeURIComponent(mirror.url)}`;
      const first = await openApp(query, context);
      expectSamePredictions(first.predictions!, nodePredictions, 'first load', 1e-4);
      const downloads = mirror.log.filter((l) => l.method === 'GET').map((l) => l.path);
      for (const f of ['config.json', 'tokenizer.json', 'model.safetensors']) {
        expect(
          downloads.includes(`/${BROWSER_HUB_ID}/resolve/main/${f}`),
          `${f} was not fetched: ${downloads.join(', ')}`,
        ).toBe(true);
        expect(
          first.cached!.some((u) => u.endsWith(`/${BROWSER_HUB_ID}/resolve/main/${f}`)),
          `${f} not in the Cache API: ${first.cached}`,
        ).toBe(true);
      }
      await mirror.close();
      open = false;
      // the mirror is gone: nothing answers there any more
      const probe = await context.newPage();
      await probe.goto(preview!.url);
      const reach = await probe.evaluate(
        (u) =>
          fetch(u).then(
            () => 'answered',
            () => 'unreachable',
          ),
        `${mirror.url}/api/models/${BROWSER_HUB_ID}`,
      );
      await probe.close();
      expect(reach).toBe('unreachable');
      const second = await openApp(query, context);
      expect(second.predictions, 'second load, from the Cache API').toEqual(first.predictions);
    } finally {
      await context.close();
      if (open) await mirror.close();
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
