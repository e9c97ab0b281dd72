// Model folders addressed by URL: `https://host/models/x/` anywhere, and in a browser also a path
// ('/models/x/', './x/'), resolved against the page, as transformers.js resolves `env.localModelPath`.
// Files are fetched on demand; a 404 is "no such file", so the weight format is found by trying in order.
import { CheckpointError } from '../errors.js';
import { isNode } from '../hub/env.js';
import type { FileReader } from './formats.js';

/**
 * The folder URL (ending in '/') when `idOrPath` addresses a model folder over HTTP: an http(s) URL, or in a
 * browser a path starting with '/', './' or '../'. undefined for a local folder or a Hub repo id.
 */
export function modelFolderUrl(idOrPath: string): string | undefined {
  const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);
  if (/^https?:\/\//i.test(idOrPath)) return withSlash(idOrPath);
  if (isNode() || !/^\.{0,2}\//.test(idOrPath)) return undefined;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  if (!base) throw new CheckpointError(`cannot resolve the model path ${JSON.stringify(idOrPath)}: no page URL`);
  return withSlash(new URL(idOrPath, base).href);
}

/**
 * A FileReader over `base` (a folder URL ending in '/'): undefined for a 404, and for an HTML page served in
 * place of a missing non-HTML file (the index.html fallback of single-page-app servers such as `vite preview`).
 */
export function urlReader(base: string, fetchImpl: typeof fetch = fetch): FileReader {
  return async (file) => {
    const url = new URL(file, base).href;
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (e) {
      throw new CheckpointError(`GET ${url} failed: ${(e as Error).message}`, { cause: e });
    }
    if (res.status === 404 || res.status === 410) return undefined;
    if (!res.ok) throw new CheckpointError(`GET ${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    if (!file.endsWith('.html') && /^text\/html\b/i.test(res.headers.get('content-type') ?? '')) return undefined;
    return new Uint8Array(await res.arrayBuffer());
  };
}
