// Hub settings as huggingface_hub reads them: endpoint, cache folder, token.
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/constants.py
import { InputError } from '../errors.js';
import { nodeFsPromises, nodeOs, nodePath } from '../platform/node.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/**
 * Hub settings that also work in browsers (where there is no process.env), as transformers.js' `env`:
 * each one, when set, wins over the environment variable named beside it; an option passed to a call wins over both.
 */
export interface HubEnv {
  /** Hub endpoint (HF_ENDPOINT), e.g. a mirror: `http://127.0.0.1:8080`. */
  remoteHost: string | undefined;
  /** Never use the network, only the cache (HF_HUB_OFFLINE). */
  offline: boolean | undefined;
  /** Browsers: keep downloaded files in the Cache API (transformers.js `env.useBrowserCache`). Default true. */
  useBrowserCache: boolean;
  /** Name of the Cache API cache. */
  browserCacheName: string;
  /** Seconds to wait for the metadata (HEAD) answer (HF_HUB_ETAG_TIMEOUT, default 10). */
  etagTimeout: number | undefined;
  /** Seconds without data before a download is given up (HF_HUB_DOWNLOAD_TIMEOUT, default 10). */
  downloadTimeout: number | undefined;
}

export const env: HubEnv = {
  remoteHost: undefined,
  offline: undefined,
  useBrowserCache: true,
  browserCacheName: 'albertjs-hub',
  etagTimeout: undefined,
  downloadTimeout: undefined,
};

/** huggingface_hub's `_is_true`: 1 / ON / YES / TRUE, any case. */
function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.toUpperCase());
}

/** option > env.offline > HF_HUB_OFFLINE. */
export function resolveOffline(option?: boolean): boolean {
  return option ?? env.offline ?? isTrue(processEnv().HF_HUB_OFFLINE);
}

/** Milliseconds: option (ms) > `env[key]` (s) > the environment variable (s) > 10 s, as huggingface_hub's constants. */
export function resolveTimeoutMs(
  optionMs: number | undefined,
  key: 'etagTimeout' | 'downloadTimeout',
  variable: 'HF_HUB_ETAG_TIMEOUT' | 'HF_HUB_DOWNLOAD_TIMEOUT',
): number {
  if (optionMs !== undefined) {
    if (!(optionMs > 0)) throw new InputError(`timeout ${optionMs} ms is not a positive number`);
    return optionMs;
  }
  const fromEnv = env[key];
  if (fromEnv !== undefined) {
    if (!(fromEnv > 0)) throw new InputError(`env.${key} = ${fromEnv} is not a positive number of seconds`);
    return fromEnv * 1000;
  }
  const v = processEnv()[variable];
  if (v === undefined || v === '') return 10_000;
  const s = Number(v);
  if (!(s > 0)) throw new InputError(`${variable}=${JSON.stringify(v)} is not a positive number of seconds`);
  return s * 1000;
}

/** process.env when running in Node, else an empty object (browsers). */
export function processEnv(): Record<string, string | undefined> {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env ?? {};
}

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** option > env.remoteHost > HF_ENDPOINT > https://huggingface.co, without a trailing slash. */
export function resolveEndpoint(option?: string): string {
  const e = option ?? env.remoteHost ?? processEnv().HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  if (!/^https?:\/\/[^/]/.test(e)) throw new InputError(`Hub endpoint ${JSON.stringify(e)} is not an http(s) URL`);
  return e.replace(/\/+$/, '');
}

/** option > HF_TOKEN > HUGGING_FACE_HUB_TOKEN. */
export function resolveToken(option?: string): string | undefined {
  return option ?? processEnv().HF_TOKEN ?? processEnv().HUGGING_FACE_HUB_TOKEN ?? undefined;
}

/**
 * resolveToken, then (Node) the token `huggingface-cli login` stored: $HF_TOKEN_PATH, else $HF_HOME/token,
 * else ~/.cache/huggingface/token, as huggingface_hub's get_token() reads it.
 */
export async function resolveTokenWithStored(option?: string): Promise<string | undefined> {
  const t = resolveToken(option);
  if (t !== undefined || !isNode()) return t;
  const e = processEnv();
  const { join } = nodePath();
  const { homedir } = nodeOs();
  const { readFile } = nodeFsPromises();
  const home = e.HF_HOME ?? join(e.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
  const path = e.HF_TOKEN_PATH ?? join(home, 'token');
  const stored = await readFile(path, 'utf8').then(
    (s) => s.trim(),
    () => '',
  );
  return stored || undefined;
}

/** option > HF_HUB_CACHE > $HF_HOME/hub > $XDG_CACHE_HOME/huggingface/hub > ~/.cache/huggingface/hub (Node). */
export async function resolveCacheDir(option?: string): Promise<string> {
  if (option) return option;
  const e = processEnv();
  const { join } = nodePath();
  if (e.HF_HUB_CACHE) return e.HF_HUB_CACHE;
  if (e.HF_HOME) return join(e.HF_HOME, 'hub');
  const { homedir } = nodeOs();
  return join(e.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub');
}

/** `org/name` or a legacy `name`; throws for anything else. */
export function checkRepoId(id: string): string {
  if (!/^(?:[\w.-]+\/)?[\w.-]+$/.test(id) || id.includes('..') || id.startsWith('.') || id.endsWith('.')) {
    throw new InputError(`${JSON.stringify(id)} is neither a local folder nor a valid Hub repo id (org/name)`);
  }
  return id;
}

export function isCommitHash(rev: string): boolean {
  return /^[0-9a-f]{40}$/.test(rev);
}

/** `models--org--name`, the cache folder of a model repo. */
export function repoFolderName(repoId: string): string {
  return `models--${repoId.split('/').join('--')}`;
}

/** `{endpoint}/{repo}/resolve/{revision}/{file}` with the revision and path segments URL-encoded. */
export function resolveUrl(endpoint: string, repoId: string, revision: string, file: string): string {
  return `${endpoint}/${repoId}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}
