// Reading and writing tokenizer folders: local folders in Node (fs imported lazily, so that browser bundles never
// load it) and folders over HTTP (a URL, or in a browser a path such as '/models/albert/').
import { TokenizerFileError } from './errors.js';

/** The files of a tokenizer folder, as bytes or text. */
export interface TokenizerFiles {
  'spiece.model'?: Uint8Array;
  'tokenizer.json'?: string;
  'tokenizer_config.json'?: string;
  'special_tokens_map.json'?: string;
  'vocab.txt'?: string;
}

const TEXT_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;

/** Reads one file of a tokenizer folder: undefined when it does not exist. */
export type TokenizerFileReader = (name: string) => Promise<Uint8Array | undefined>;

/** The tokenizer files `read` finds (spiece.model, tokenizer.json, tokenizer_config.json, …). */
export async function readTokenizerFiles(read: TokenizerFileReader): Promise<TokenizerFiles> {
  const out: TokenizerFiles = {};
  const [sp, ...texts] = await Promise.all([read('spiece.model'), ...TEXT_FILES.map((f) => read(f))]);
  if (sp) out['spiece.model'] = sp;
  const utf8 = new TextDecoder();
  TEXT_FILES.forEach((f, i) => {
    const b = texts[i];
    if (b) out[f] = utf8.decode(b);
  });
  return out;
}

/**
 * The folder URL (ending in '/') when `dir` addresses a folder over HTTP: an http(s) URL, or outside Node a path
 * starting with '/', './' or '../', resolved against the page (as @albertjs/core's modelFolderUrl).
 */
export function tokenizerFolderUrl(dir: string): string | undefined {
  const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);
  if (/^https?:\/\//i.test(dir)) return withSlash(dir);
  const inNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  const page = (globalThis as { location?: { href: string } }).location?.href;
  if (inNode || !page || !/^\.{0,2}\//.test(dir)) return undefined;
  return withSlash(new URL(dir, page).href);
}

/**
 * Fetches the files of the folder at `base` (ending in '/'); a 404, or an HTML page served in place of a missing
 * file (single-page-app fallbacks), counts as absent.
 */
export function tokenizerUrlReader(base: string, fetchImpl: typeof fetch = fetch): TokenizerFileReader {
  return async (name) => {
    const url = new URL(name, base).href;
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (e) {
      throw new TokenizerFileError(`GET ${url} failed: ${(e as Error).message}`, { cause: e });
    }
    if (res.status === 404 || res.status === 410) return undefined;
    if (!res.ok) throw new TokenizerFileError(`GET ${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    if (/^text\/html\b/i.test(res.headers.get('content-type') ?? '')) return undefined;
    return new Uint8Array(await res.arrayBuffer());
  };
}

/** Node: reads files of the local folder `dir`. */
async function folderReader(dir: string): Promise<TokenizerFileReader> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  return async (name) => {
    try {
      return new Uint8Array(await fs.readFile(path.join(dir, name)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
}

/** The tokenizer files of a local folder (Node) or of a folder URL (see tokenizerFolderUrl). */
export async function readTokenizerFolder(dir: string): Promise<TokenizerFiles> {
  const url = tokenizerFolderUrl(dir);
  return readTokenizerFiles(url ? tokenizerUrlReader(url) : await folderReader(dir));
}

export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    const p = path.join(dir, name);
    await fs.writeFile(p, data);
    written.push(p);
  }
  return written;
}
