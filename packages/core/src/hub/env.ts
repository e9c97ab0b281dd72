// Hub settings as huggingface_hub reads them: endpoint, cache folder, token.
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/constants.py
import { InputError } from '../errors.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

/** process.env when running in Node, else an empty object (browsers). */
export function processEnv(): Record<string, string | undefined> {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env ?? {};
}

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** option > HF_ENDPOINT > https://huggingface.co, without a trailing slash. */
export function resolveEndpoint(option?: string): string {
  const e = option ?? processEnv().HF_ENDPOINT ?? DEFAULT_ENDPOINT;
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
  const { join } = await import('node:path');
  const { homedir } = await import('node:os');
  const { readFile } = await import('node:fs/promises');
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
  const { join } = await import('node:path');
  if (e.HF_HUB_CACHE) return e.HF_HUB_CACHE;
  if (e.HF_HOME) return join(e.HF_HOME, 'hub');
  const { homedir } = await import('node:os');
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
