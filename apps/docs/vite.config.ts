// The docs site: one HTML page per entry below; @albertjs/* resolve to their TypeScript sources; the embedded
// default model (models/default at the repository root) and tfjs-backend-wasm's binaries are served next to
// the pages: `vite` and `vite preview` serve them from the repository, `vite build` copies them into dist/.
// ALBERT_DOCS_EXTRA_MODELS=<dir> also serves <dir>/<name>/… as /extra-models/<name>/… (tests).
import { cpSync, createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

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

const pages = Object.fromEntries(
  [
    'index.html',
    'getting-started.html',
    'parity.html',
    'benchmarks.html',
    ...readdirSync(join(here, 'tasks')).map((f) => `tasks/${f}`),
  ].map((p) => [p.replace(/\.html$/, ''), join(here, p)]),
);

const nodeShim = join(here, 'src/shims/node.ts');

export default defineConfig({
  root: here,
  base: './',
  resolve: {
    conditions: ['@albertjs/source', 'browser', 'module', 'import', 'default'],
    alias: [{ find: /^node:(fs|path|url|fs\/promises)$/, replacement: nodeShim }],
  },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', rollupOptions: { input: pages } },
  esbuild: { target: 'es2022' },
  plugins: [serveFolders()],
  server: { fs: { allow: [repo] } },
});
