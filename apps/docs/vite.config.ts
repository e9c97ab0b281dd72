// The docs site: one HTML page per entry below; @albertjs/* resolve to their TypeScript sources; the embedded
// default model (models/default at the repository root) and tfjs-backend-wasm's binaries are served next to
// the pages: `vite` and `vite preview` serve them from the repository, `vite build` copies them into dist/.
// ALBERT_DOCS_EXTRA_MODELS=<dir> also serves <dir>/<name>/… as /extra-models/<name>/… (tests).
// Every page gets an import map for @albertjs/*, so that the code blocks the pages show run verbatim (src/lib/);
// the Parity and Benchmarks pages are rendered at build time from the data committed in data/.
import { cpSync, createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { type BenchResults, benchmarksFragment, parityFragment } from './src/data/pages.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const require = createRequire(import.meta.url);
const tfjsWasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm'));

/** URL prefix → folder on disk, served in dev and copied into the build. */
function mounts(): Record<string, string> {
  const m: Record<string, string> = { '/models/default/': join(repo, 'models/default'), '/tfjs-wasm/': tfjsWasmDir };
  if (process.env.ALBERT_DOCS_EXTRA_MODELS) m['/extra-models/'] = resolve(process.env.ALBERT_DOCS_EXTRA_MODELS);
  return m;
}

/** What a page may fetch from a model folder (not the training scripts and logs beside the embedded model). */
const MODEL_FILES =
  /(^|\/)(config\.json|model\.safetensors|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|spiece\.model)$/;
const servable = (prefix: string, file: string) => prefix === '/tfjs-wasm/' || MODEL_FILES.test(file);

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
};

/** Serves every mount from its folder on disk (the dev server, and the preview server in front of dist/). */
function serveMounts(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
  for (const [prefix, dir] of Object.entries(mounts())) {
    if (!url.startsWith(prefix)) continue;
    const file = resolve(dir, `.${url.slice(prefix.length - 1)}`);
    if (!file.startsWith(dir + sep) || !servable(prefix, file) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
    return;
  }
  next();
}

function serveFolders(): Plugin {
  return {
    name: 'albertjs-serve-folders',
    configureServer(server) {
      server.middlewares.use(serveMounts);
    },
    // `vite preview` serves the repository's models/default too, not a copy from an older build.
    configurePreviewServer(server) {
      server.middlewares.use(serveMounts);
    },
    writeBundle(options) {
      const out = options.dir ?? join(here, 'dist');
      for (const [prefix, dir] of Object.entries(mounts())) {
        if (!existsSync(dir)) this.error(`${dir} (served as ${prefix}) does not exist`);
        cpSync(dir, join(out, prefix), {
          recursive: true,
          filter: (f) => statSync(f).isDirectory() || servable(prefix, f),
        });
      }
    },
  };
}

/** The packages a page's code blocks import (src/lib/<name>.ts, built to assets/lib/<name>.js). */
const LIBS = ['core', 'tokenizer', 'pipelines', 'onnx', 'tfjs', 'webgpu'];

/**
 * An import map on every page: `@albertjs/<name>` → src/lib/<name>.ts (dev) or assets/lib/<name>.js (build),
 * relative to the page, so that a code block imported as a blob: module resolves its bare imports.
 */
function importMap(): Plugin {
  return {
    name: 'albertjs-import-map',
    transformIndexHtml: {
      order: 'pre',
      handler(_html, ctx) {
        const up = '../'.repeat(ctx.path.split('/').length - 2) || './'; // import maps need ./ or ../
        const url = (name: string) => (ctx.server ? `/src/lib/${name}.ts` : `${up}assets/lib/${name}.js`);
        const imports = Object.fromEntries(LIBS.map((n) => [`@albertjs/${n}`, url(n)]));
        return [
          {
            tag: 'script',
            attrs: { type: 'importmap' },
            children: JSON.stringify({ imports }),
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

/** The Parity and Benchmarks pages' content, rendered from data/ into their HTML. */
function dataPages(): Plugin {
  const data = join(here, 'data');
  return {
    name: 'albertjs-data-pages',
    transformIndexHtml(html, ctx) {
      if (ctx.path.endsWith('/parity.html')) {
        const page = readFileSync(join(data, 'parity-matrix.html'), 'utf8');
        return html.replace('<div id="matrix"></div>', `<div id="matrix">${parityFragment(page)}</div>`);
      }
      if (ctx.path.endsWith('/benchmarks.html')) {
        const results = JSON.parse(readFileSync(join(data, 'bench/results.json'), 'utf8')) as BenchResults;
        const provenance = readFileSync(join(data, 'bench/provenance.txt'), 'utf8').trim().split('\n');
        return html.replace(
          '<div id="charts"></div>',
          `<div id="charts">${benchmarksFragment(results, provenance)}</div>`,
        );
      }
      return html;
    },
  };
}

const pages = Object.fromEntries(
  [
    'index.html',
    'getting-started.html',
    'parity.html',
    'benchmarks.html',
    ...readdirSync(join(here, 'tasks')).map((f) => `tasks/${f}`),
  ].map((p) => [p.replace(/\.html$/, ''), join(here, p)]),
);
const libs = Object.fromEntries(LIBS.map((n) => [`lib/${n}`, join(here, `src/lib/${n}.ts`)]));

export default defineConfig({
  root: here,
  base: './',
  resolve: {
    // no node: aliases: the packages hold no node: import (packages/core/test/browser-safe.test.ts)
    conditions: ['@albertjs/source', 'browser', 'module', 'import', 'default'],
  },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { ...pages, ...libs },
      // the lib entries keep their exports (the code blocks import them) and an unhashed name (the import map)
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: (c) => (c.name.startsWith('lib/') ? 'assets/[name].js' : 'assets/[name]-[hash].js') },
    },
  },
  esbuild: { target: 'es2022' },
  plugins: [serveFolders(), importMap(), dataPages()],
  server: { fs: { allow: [repo] } },
});
