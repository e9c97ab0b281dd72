// `pnpm bench:size`: what installing and bundling albertjs costs a user, beside transformers.js.
// - install size: `npm install` of the packed tarballs into an empty project per backend (the backend package plus
//   the runtime it needs), `du` of node_modules;
// - bundle size: a Vite production build of a page that runs fill-mask with @albertjs/pipelines on one backend
//   (and one with transformers.js' pipeline), gzip -9 of every emitted .js / .wasm / .mjs.
// Writes the tables between <!-- size:begin --> and <!-- size:end --> in BENCHMARKS.md (appended when missing).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runOk } from '../src/process.js';
import { NPM_ENV } from '../src/project.js';
import { packAll, REPO, repoRange } from '../src/workspace.js';

const root = mkdtempSync(join(tmpdir(), 'albertjs-size-'));
const started = Date.now();

function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const kb = (b: number) => `${(b / 1e3).toFixed(0)} kB`;

async function install(name: string, deps: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `size-${name}`, private: true, type: 'module', dependencies: deps }),
  );
  await runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: NPM_ENV,
    timeoutMs: 600_000,
  });
  return dir;
}

/** Vite build of `main` in `dir`; gzip sizes of the emitted code and wasm. */
async function bundle(dir: string, main: string): Promise<{ js: number; wasm: number; raw: number }> {
  const web = join(dir, 'web');
  rmSync(web, { recursive: true, force: true });
  mkdirSync(web, { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
  writeFileSync(join(web, 'main.js'), main);
  writeFileSync(
    join(web, 'vite.config.js'),
    "export default { base: './', logLevel: 'error', build: { target: 'es2022', chunkSizeWarningLimit: 1e9 } };\n",
  );
  await runOk(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: web,
    timeoutMs: 600_000,
  });
  const out = { js: 0, wasm: 0, raw: 0 };
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(m?js|wasm)$/.test(e.name)) {
        const bytes = readFileSync(p);
        out.raw += bytes.length;
        out[e.name.endsWith('.wasm') ? 'wasm' : 'js'] += gzipSync(bytes, { level: 9 }).length;
      }
    }
  };
  walk(join(web, 'dist'));
  return out;
}

const FILL =
  "const fill = await pipeline('fill-mask', new URL('./model/', location.href).href, { backend });\n" +
  "document.body.textContent = JSON.stringify(await fill('The capital of [MASK] is Paris.'));\n";

async function main() {
  const tarDir = join(root, 'tarballs');
  mkdirSync(tarDir);
  const tarballs = await packAll(tarDir);
  const tar = (n: string) => `file:${tarballs.get(n)}`;
  const albert = (...names: string[]) =>
    Object.fromEntries(
      ['@albertjs/core', '@albertjs/tokenizer', '@albertjs/pipelines', '@albertjs/default-model', ...names].map((n) => [
        n,
        tar(n),
      ]),
    );
  const vite = { vite: repoRange('vite') };
  const scenarios: { name: string; what: string; deps: Record<string, string>; main?: string }[] = [
    {
      name: 'onnx-node',
      what: '@albertjs/onnx + onnxruntime-node (Node)',
      deps: { ...albert('@albertjs/onnx'), 'onnxruntime-node': repoRange('onnxruntime-node') },
    },
    {
      name: 'onnx-web',
      what: '@albertjs/onnx + onnxruntime-web (browser)',
      deps: { ...albert('@albertjs/onnx'), 'onnxruntime-web': repoRange('onnxruntime-web'), ...vite },
      main: `import { pipeline } from '@albertjs/pipelines';\nimport { createBackend } from '@albertjs/onnx';\nconst backend = await createBackend();\n${FILL}`,
    },
    {
      name: 'tfjs',
      what: '@albertjs/tfjs (wasm, cpu)',
      deps: { ...albert('@albertjs/tfjs'), ...vite },
      main: `import { pipeline } from '@albertjs/pipelines';\nimport { createBackend } from '@albertjs/tfjs';\nconst backend = await createBackend({ runtime: 'wasm' });\n${FILL}`,
    },
    {
      name: 'webgpu',
      what: '@albertjs/webgpu (browser: no runtime package)',
      deps: { ...albert('@albertjs/webgpu'), ...vite },
      main: `import { pipeline } from '@albertjs/pipelines';\nimport { createBackend } from '@albertjs/webgpu';\nconst backend = await createBackend();\n${FILL}`,
    },
    {
      name: 'webgpu-node',
      what: '@albertjs/webgpu + webgpu (Dawn, Node)',
      deps: { ...albert('@albertjs/webgpu'), webgpu: repoRange('webgpu') },
    },
    {
      name: 'cli',
      what: '@albertjs/cli + onnxruntime-node',
      deps: {
        '@albertjs/cli': tar('@albertjs/cli'),
        ...albert('@albertjs/onnx', '@albertjs/tfjs', '@albertjs/webgpu'),
        'onnxruntime-node': repoRange('onnxruntime-node'),
      },
    },
    {
      name: 'transformersjs',
      what: '@huggingface/transformers (its own dependencies)',
      deps: { '@huggingface/transformers': repoRange('@huggingface/transformers'), ...vite },
      main: "import { pipeline } from '@huggingface/transformers';\nconst fill = await pipeline('fill-mask', 'albert/albert-base-v2', { device: 'webgpu' });\ndocument.body.textContent = JSON.stringify(await fill('The capital of [MASK] is Paris.'));\n",
    },
  ];
  const installRows: string[] = [];
  const bundleRows: string[] = [];
  for (const s of scenarios) {
    process.stderr.write(`size: ${s.name}\n`);
    const dir = await install(s.name, s.deps);
    const viteBytes = s.deps.vite
      ? du(join(dir, 'node_modules/vite')) +
        du(join(dir, 'node_modules/rollup')) +
        du(join(dir, 'node_modules/@esbuild')) +
        du(join(dir, 'node_modules/@rollup'))
      : 0;
    installRows.push(`| ${s.what} | ${mb(du(join(dir, 'node_modules')) - viteBytes)} |`);
    if (s.main) {
      const b = await bundle(dir, s.main);
      // tfjs-backend-wasm fetches its .wasm at run time from `wasmPaths` (the page serves it): the SIMD build counts
      if (s.name === 'tfjs') {
        const wasm = readFileSync(
          join(dir, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
        );
        b.wasm += gzipSync(wasm, { level: 9 }).length;
        b.raw += wasm.length;
      }
      bundleRows.push(
        `| ${s.what.replace(/ \(.*\)$/, '')} | ${kb(b.js)} | ${kb(b.wasm)} | ${kb(b.js + b.wasm)} | ${mb(b.raw)} |`,
      );
    }
  }
  const own = [...tarballs].map(([name, file]) => {
    const listing = execFileSync('tar', ['-tvzf', file], { encoding: 'utf8' });
    const unpacked = listing.split('\n').reduce((n, l) => n + (Number(l.trim().split(/\s+/)[2]) || 0), 0);
    return `| ${name} | ${kb(statSync(file).size)} | ${kb(unpacked)} |`;
  });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const text = `<!-- size:begin -->
## Install and bundle size (issue 13)

\`pnpm bench:size\` (packages/consumer-tests/bench/size.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu},
Node ${process.versions.node}, npm ${execFileSync('npm', ['-v'], { encoding: 'utf8' }).trim()}; load average at the end ${load}
(sizes do not depend on load); ${((Date.now() - started) / 1000).toFixed(0)} s. Each row is an empty project where \`npm install\`
put the packed albertjs tarballs (core, tokenizer, pipelines, default-model and the backend) and the runtime named,
measured as the bytes of every file under node_modules (Vite, installed for the bundle column, not counted).

| installed for … | node_modules |
|---|---|
${installRows.join('\n')}

Bundle: a Vite 7 production build (\`build.target: es2022\`) of a page that runs fill-mask through the backend's
pipeline (transformers.js: its \`pipeline('fill-mask', …, { device: 'webgpu' })\`); gzip -9 of every emitted
.js/.mjs and .wasm file, plus for TF.js the tfjs-backend-wasm-simd.wasm the page serves for \`wasmPaths\` (the model
is fetched at run time and not counted).

| bundle with … | JS (gzip) | wasm (gzip) | total (gzip) | total (raw) |
|---|---|---|---|---|
${bundleRows.join('\n')}

Each albertjs package on its own (\`pnpm pack\` tarball; unpacked: the files it holds):

| package | tarball | unpacked |
|---|---|---|
${own.join('\n')}
<!-- size:end -->`;
  const file = join(REPO, 'BENCHMARKS.md');
  const md = readFileSync(file, 'utf8');
  const re = /<!-- size:begin -->[\s\S]*<!-- size:end -->/;
  writeFileSync(file, re.test(md) ? md.replace(re, text) : `${md.trimEnd()}\n\n${text}\n`);
  process.stdout.write(`${text}\n`);
}

try {
  await main();
} finally {
  rmSync(root, { recursive: true, force: true });
}
