// Where a pretrained model's (or tokenizer's) files come from, as transformers' from_pretrained resolves
// `pretrained_model_name_or_path`: a local folder, a Hugging Face cache entry (models--org--name), a URL folder
// (browsers: '/models/x/'), or a Hub repo id — downloaded into the huggingface_hub cache in Node, fetched (and kept
// in the Cache API, like transformers.js' env.useBrowserCache) in browsers.
// https://github.com/huggingface/transformers/blob/main/src/transformers/utils/hub.py (cached_files)
import { modelFolderUrl, urlReader } from '../checkpoints/url.js';
import { HubError, InputError } from '../errors.js';
import { nodeFsPromises, nodePath } from '../platform/node.js';
import { cachedEntry, type DownloadProgress, hubFile } from './download.js';
import {
  checkRepoId,
  env,
  isNode,
  resolveCacheDir,
  resolveEndpoint,
  resolveOffline,
  resolveTimeoutMs,
  resolveTokenWithStored,
  resolveUrl,
} from './env.js';
import {
  authHeaders,
  EntryNotFoundError,
  HubUnreachableError,
  hubFetchRetrying,
  type NetOptions,
  responseError,
} from './http.js';

/** How to reach the Hub: the options every `fromPretrained` / `pipeline` / `loadPretrained` takes. */
export interface HubOptions {
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  /** Hub cache folder (default HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub). Node only. */
  cacheDir?: string;
  /** Hub token for gated / private repos (default HF_TOKEN, else the token `huggingface-cli login` stored). */
  token?: string;
  /** Use only the cache, never the network (also HF_HUB_OFFLINE=1 or `env.offline`). */
  localFilesOnly?: boolean;
  /** Per-file download progress. */
  onProgress?: (p: DownloadProgress) => void;
  /** Hub endpoint (default `env.remoteHost`, HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /**
   * `false`: fetch Hub files into memory without any cache (no disk cache in Node, no Cache API in browsers).
   * Default true.
   */
  cache?: boolean;
  /** Metadata (HEAD) timeout in ms (default HF_HUB_ETAG_TIMEOUT / env.etagTimeout seconds, else 10 s). */
  etagTimeoutMs?: number;
  /** Download timeout in ms without data (default HF_HUB_DOWNLOAD_TIMEOUT / env.downloadTimeout seconds, else 10 s). */
  downloadTimeoutMs?: number;
  /** Retries after timeouts, lost connections and 5xx answers (default 2), backoff from retryDelayMs (default 1000). */
  maxRetries?: number;
  retryDelayMs?: number;
  /** Told once what a download waits for when another live process holds its lock (default console.warn). */
  onLockWait?: (message: string) => void;
}

/** The keys of HubOptions, to separate them from the other options of a call. */
export const HUB_OPTION_KEYS = [
  'revision',
  'cacheDir',
  'token',
  'localFilesOnly',
  'onProgress',
  'endpoint',
  'cache',
  'etagTimeoutMs',
  'downloadTimeoutMs',
  'maxRetries',
  'retryDelayMs',
  'onLockWait',
] as const satisfies readonly (keyof HubOptions)[];

/** `[hubOptions, rest]`: the HubOptions fields of `options` (those set) and everything else. */
export function splitHubOptions<T extends HubOptions>(options: T): [HubOptions, Omit<T, keyof HubOptions>] {
  const hub: Record<string, unknown> = {};
  const rest = { ...options } as Record<string, unknown>;
  for (const k of HUB_OPTION_KEYS) {
    if (rest[k] !== undefined) hub[k] = rest[k];
    delete rest[k];
  }
  return [hub as HubOptions, rest as Omit<T, keyof HubOptions>];
}

export interface PretrainedSource {
  /** 'folder' (a local folder or a cache snapshot), 'url' (a folder on a web server) or 'hub' (a repo id). */
  kind: 'folder' | 'url' | 'hub';
  /** The folder, URL or `org/name@revision`, for messages. */
  where: string;
  /** The local folder (kind 'folder'). */
  dir?: string;
  /** Bytes of `file`, or undefined when the source has no such file. */
  read(file: string): Promise<Uint8Array | undefined>;
  /** What read() read: local paths (cache snapshot paths for Hub files in Node) or URLs. */
  files: string[];
}

async function statDir(p: string): Promise<boolean> {
  if (!isNode()) return false;
  const { stat } = nodeFsPromises();
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A `models--org--name` folder of the Hugging Face cache → its snapshot folder for `revision`. */
async function cacheRepoSnapshot(dir: string, revision: string): Promise<string | undefined> {
  const { basename, join } = nodePath();
  const { readFile } = nodeFsPromises();
  if (!basename(dir.replace(/[\\/]+$/, '')).startsWith('models--') || !(await statDir(join(dir, 'snapshots'))))
    return undefined;
  const commit = /^[0-9a-f]{40}$/.test(revision)
    ? revision
    : await readFile(join(dir, 'refs', revision), 'utf8').then(
        (s) => s.trim(),
        () => undefined,
      );
  const snap = commit && join(dir, 'snapshots', commit);
  if (!snap || !(await statDir(snap)))
    throw new HubError(`${dir} is a Hugging Face cache folder without a snapshot for revision ${revision}`);
  return snap;
}

function folderSource(dir: string): PretrainedSource {
  const files: string[] = [];
  return {
    kind: 'folder',
    where: dir,
    dir,
    files,
    async read(file) {
      const { readFile } = nodeFsPromises();
      const { join } = nodePath();
      const p = join(dir, file);
      try {
        const b = new Uint8Array(await readFile(p));
        files.push(p);
        return b;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** GET `url` into memory, checking the length; undefined on 404 EntryNotFound (or a plain 404 off the Hub). */
async function fetchBytes(
  url: string,
  init: RequestInit,
  net: NetOptions,
  req: { repoId: string; revision: string; file: string; token?: string },
): Promise<Uint8Array | undefined> {
  const res = await hubFetchRetrying(url, init, net);
  if (!res.ok) {
    const err = responseError(res, url, req);
    if (err instanceof EntryNotFoundError) return undefined;
    throw err;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const want = res.headers.get('content-length');
  if (want !== null && /^\d+$/.test(want) && Number(want) !== bytes.byteLength && !res.headers.get('content-encoding'))
    throw new HubError(`${url}: truncated body: received ${bytes.byteLength} of ${want} bytes`);
  return bytes;
}

/** A folder served over HTTP (see modelFolderUrl): a 404 or an SPA's index.html fallback is "no such file". */
function urlSource(base: string, options: HubOptions): PretrainedSource {
  const files: string[] = [];
  const fetchFile = urlReader(base);
  return {
    kind: 'url',
    where: base,
    files,
    async read(file) {
      const b = await fetchFile(file);
      if (!b) return undefined;
      files.push(new URL(file, base).href);
      options.onProgress?.({ file, loaded: b.byteLength, total: b.byteLength });
      return b;
    },
  };
}

/** The part of the Cache API used here (core compiles without the DOM lib). */
interface UrlCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, res: Response): Promise<void>;
}

/** The Cache API cache browsers keep Hub files in, when available and wanted. */
async function browserCache(options: HubOptions): Promise<UrlCache | undefined> {
  const caches = (globalThis as { caches?: { open(name: string): Promise<UrlCache> } }).caches;
  if (options.cache === false || !env.useBrowserCache || !caches) return undefined;
  try {
    return await caches.open(env.browserCacheName);
  } catch {
    return undefined; // opaque origins / private mode refuse the Cache API
  }
}

async function hubSource(repoId: string, options: HubOptions): Promise<PretrainedSource> {
  const endpoint = resolveEndpoint(options.endpoint);
  const revision = options.revision ?? 'main';
  const token = await resolveTokenWithStored(options.token);
  const offline = options.localFilesOnly || resolveOffline();
  const where = `${repoId}@${revision}`;
  const files: string[] = [];
  if (isNode() && options.cache !== false) {
    const { readFile } = nodeFsPromises();
    const cacheDir = await resolveCacheDir(options.cacheDir);
    const paths = new Map<string, string | undefined>();
    // after one failure to reach the Hub, the other files come from the cache at once (no timeout / retries each)
    let unreachable: HubUnreachableError | undefined;
    const locate = async (file: string): Promise<string | undefined> => {
      if (unreachable) {
        const hit = await cachedEntry(cacheDir, repoId, revision, file);
        if (hit !== undefined) return hit ?? undefined;
        throw new HubUnreachableError(
          `${file} of ${where} is not in the cache ${cacheDir}, and the Hub is unreachable: ${unreachable.message.split('; and ')[0]}`,
          unreachable.status,
          { cause: unreachable },
        );
      }
      try {
        return await hubFile(repoId, file, {
          endpoint,
          cacheDir,
          revision,
          token,
          localFilesOnly: offline,
          onProgress: options.onProgress,
          etagTimeoutMs: options.etagTimeoutMs,
          downloadTimeoutMs: options.downloadTimeoutMs,
          maxRetries: options.maxRetries,
          retryDelayMs: options.retryDelayMs,
          onLockWait: options.onLockWait,
          onUnreachable: (e) => {
            unreachable ??= e;
          },
        });
      } catch (e) {
        if (e instanceof HubUnreachableError) unreachable ??= e;
        throw e;
      }
    };
    return {
      kind: 'hub',
      where,
      files,
      async read(file) {
        if (!paths.has(file)) paths.set(file, await locate(file));
        const p = paths.get(file);
        if (!p) return undefined;
        if (!files.includes(p)) files.push(p);
        return new Uint8Array(await readFile(p));
      },
    };
  }
  const cache = await browserCache(options);
  if (offline && !cache)
    throw new HubError(
      `localFilesOnly / offline without a cache (${options.cache === false ? 'cache: false' : 'no Cache API here'}): cannot load ${repoId}`,
    );
  const net: NetOptions = {
    timeoutMs: resolveTimeoutMs(options.downloadTimeoutMs, 'downloadTimeout', 'HF_HUB_DOWNLOAD_TIMEOUT'),
    timeoutName: options.downloadTimeoutMs !== undefined ? 'downloadTimeoutMs' : 'HF_HUB_DOWNLOAD_TIMEOUT',
    maxRetries: options.maxRetries,
    retryDelayMs: options.retryDelayMs,
  };
  return {
    kind: 'hub',
    where,
    files,
    async read(file) {
      const url = resolveUrl(endpoint, repoId, revision, file);
      const hit = await cache?.match(url);
      let bytes: Uint8Array | undefined;
      if (hit?.status === 404) return undefined; // remembered absence (huggingface_hub's .no_exist)
      if (hit) bytes = new Uint8Array(await hit.arrayBuffer());
      else if (offline) return undefined;
      else {
        bytes = await fetchBytes(url, { headers: authHeaders(token) }, net, { repoId, revision, file, token });
        if (!bytes) {
          await cache?.put(url, new Response(null, { status: 404 })).catch(() => {});
          return undefined;
        }
        await cache
          ?.put(url, new Response(bytes.slice(), { headers: { 'content-length': String(bytes.byteLength) } }))
          .catch(() => {}); // quota exceeded: still usable, just not cached
      }
      options.onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength });
      files.push(url);
      return bytes;
    },
  };
}

/**
 * Opens `idOrPath` for reading files: a local folder (Node), a `models--org--name` cache folder (Node), a folder
 * URL (an http(s) URL, or in a browser a path such as `/models/x/`: see modelFolderUrl), else a Hub repo id.
 */
export async function openPretrained(idOrPath: string, options: HubOptions = {}): Promise<PretrainedSource> {
  if (typeof idOrPath !== 'string' || idOrPath === '')
    throw new InputError(`expected a model folder, URL or Hub repo id, got ${JSON.stringify(idOrPath)}`);
  if (await statDir(idOrPath)) {
    const snap = await cacheRepoSnapshot(idOrPath, options.revision ?? 'main');
    return folderSource(snap ?? idOrPath);
  }
  const url = modelFolderUrl(idOrPath);
  if (url) return urlSource(url, options);
  return hubSource(checkRepoId(idOrPath), options);
}
