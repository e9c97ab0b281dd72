// A Vite app in the consumer project that runs fill-mask with @albertjs/pipelines on each backend in the page
// (?backend=tfjs|onnx|webgpu; with ?hub=<endpoint> on a Hub id, through core's env.remoteHost and the Cache API)
// and leaves the result in window.__albert. The model is the installed
// @albertjs/default-model, copied into the app's public/ folder as a user would serve it; tfjs-backend-wasm's
// .wasm files are served from public/tfjs-wasm/.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BROWSER_TEXT = 'The capital of [MASK] is Paris.';
/** The Hub id the ?hub= page loads (the local Hub mirror serves the default model under it). */
export const BROWSER_HUB_ID = 'albert/albert-base-v2';

const MAIN_JS = `import { env } from '@albertjs/core';
import { pipeline } from '@albertjs/pipelines';

async function createBackend(name) {
  switch (name) {
    case 'tfjs': {
      const { createBackend } = await import('@albertjs/tfjs');
      return createBackend({ runtime: 'wasm', wasmPaths: new URL('./tfjs-wasm/', location.href).href });
    }
    case 'onnx': {
      const { createBackend } = await import('@albertjs/onnx');
      return createBackend();
    }
    case 'webgpu': {
      const { createBackend } = await import('@albertjs/webgpu');
      return createBackend();
    }
  }
  throw new Error('unknown backend ' + name);
}

const params = new URLSearchParams(location.search);
// ?snippet=<id>: a code block of the docs' Getting started page, bundled as the page shows it (snippets/<id>.js);
// what it console.logs is the result (tensors as { dims, data }, as the docs page serializes them)
const snippet = params.get('snippet');
if (snippet) {
  const logs = [];
  const log = console.log;
  console.log = (...a) => {
    logs.push(a);
    log(...a);
  };
  try {
    await import(\`./snippets/\${snippet}.js\`);
    const tensors = (_k, x) => (x && typeof x === 'object' && 'tolist' in x && 'dims' in x ? { dims: x.dims, data: Array.from(x.data) } : x);
    window.__albert = { ok: true, logs: JSON.parse(JSON.stringify(logs, tensors)) };
  } catch (e) {
    window.__albert = { ok: false, error: String((e && e.stack) || e) };
  }
} else try {
  const backend = await createBackend(params.get('backend'));
  // ?hub=<endpoint>: the model is a Hub id, downloaded from that endpoint and kept in the Cache API
  const hub = params.get('hub');
  if (hub) env.remoteHost = hub;
  const model = hub ? ${JSON.stringify(BROWSER_HUB_ID)} : new URL('./model/', location.href).href;
  const fill = await pipeline('fill-mask', model, { backend });
  const predictions = await fill.run(${JSON.stringify(BROWSER_TEXT)}, { topK: 5 });
  const cached = hub ? (await (await caches.open(env.browserCacheName)).keys()).map((r) => r.url) : undefined;
  window.__albert = { ok: true, description: await backend.describe(), predictions, cached };
} catch (e) {
  window.__albert = { ok: false, error: String((e && e.stack) || e) };
}
`;

const VITE_CONFIG = `import { defineConfig } from 'vite';
export default defineConfig({
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 100000 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
`;

/**
 * Writes the app into `<app>/web` and returns that folder. `snippets`: code blocks (id → code, verbatim) written to
 * snippets/<id>.js for ?snippet=<id>; they find the model at /models/default/ and tfjs' wasm at /tfjs-wasm/, as on
 * the docs site served at a root.
 */
export function writeBrowserApp(app: string, snippets: Record<string, string> = {}): string {
  const web = join(app, 'web');
  rmSync(web, { recursive: true, force: true });
  mkdirSync(join(web, 'public'), { recursive: true });
  writeFileSync(
    join(web, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n',
  );
  writeFileSync(join(web, 'main.js'), MAIN_JS);
  mkdirSync(join(web, 'snippets'));
  for (const [id, code] of Object.entries(snippets)) writeFileSync(join(web, 'snippets', `${id}.js`), code);
  writeFileSync(join(web, 'vite.config.js'), VITE_CONFIG);
  const modelPkg = join(app, 'node_modules/@albertjs/default-model');
  mkdirSync(join(web, 'public/model'));
  mkdirSync(join(web, 'public/models/default'), { recursive: true });
  for (const f of ['config.json', 'model.safetensors', 'spiece.model', 'tokenizer.json', 'tokenizer_config.json']) {
    cpSync(join(modelPkg, f), join(web, 'public/model', f));
    cpSync(join(modelPkg, f), join(web, 'public/models/default', f));
  }
  const wasmDir = join(app, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  mkdirSync(join(web, 'public/tfjs-wasm'));
  for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')))
    cpSync(join(wasmDir, f), join(web, 'public/tfjs-wasm', f));
  return web;
}
