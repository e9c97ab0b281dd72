// Hub HTTP: HEAD for file metadata (commit, etag, size, CDN location) and error mapping, as
// huggingface_hub's get_hf_file_metadata / hf_raise_for_status do.
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/file_download.py
import { HubError } from '../errors.js';

export interface HubRequest {
  repoId: string;
  revision: string;
  file: string;
  token?: string;
}

export interface FileMetadata {
  /** X-Repo-Commit */
  commit: string | undefined;
  /** X-Linked-Etag (LFS: the sha256 of the content) or ETag, without quotes and W/. */
  etag: string | undefined;
  /** True when the etag came from X-Linked-Etag (an LFS file whose etag is its sha256). */
  lfs: boolean;
  /** X-Linked-Size or Content-Length. */
  size: number | undefined;
  /** Where the bytes are (the CDN URL of an LFS file, or the resolve URL). */
  location: string;
}

/** Thrown for a file that does not exist in an existing repo/revision (callers try the next format). */
export class EntryNotFoundError extends HubError {}

export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export function normalizeEtag(e: string | null): string | undefined {
  if (!e) return undefined;
  return e.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** A HubError for a failed response, naming the URL, status and what to do. */
export function responseError(res: Response, url: string, req: HubRequest): HubError {
  const code = res.headers.get('x-error-code') ?? '';
  const msg = res.headers.get('x-error-message');
  const detail = msg ? ` (${msg})` : '';
  const s = res.status;
  if (s === 401 || (s === 403 && code === 'GatedRepo')) {
    const hint = req.token
      ? 'the token was rejected or has no access to it (for a gated repo, accept its conditions on the Hub)'
      : 'pass a token (option `token` or HF_TOKEN)';
    return new HubError(
      `${url}: ${s} ${s === 401 ? 'Unauthorized' : 'Forbidden'}: repo ${req.repoId} is gated or private; ${hint}${detail}`,
      s,
    );
  }
  if (s === 403) return new HubError(`${url}: 403 Forbidden: no access to ${req.repoId}${detail}`, s);
  if (s === 404) {
    if (code === 'RepoNotFound')
      return new HubError(`${url}: 404: repository ${req.repoId} not found (or private: pass a token)${detail}`, s);
    if (code === 'RevisionNotFound')
      return new HubError(
        `${url}: 404: revision ${JSON.stringify(req.revision)} not found in ${req.repoId}${detail}`,
        s,
      );
    return new EntryNotFoundError(`${url}: 404: ${req.file} not found in ${req.repoId}@${req.revision}${detail}`, s);
  }
  return new HubError(`${url}: HTTP ${s} ${res.statusText}${detail}`, s);
}

/** A network failure (no response at all): the caller may fall back to the cache. */
export class HubUnreachableError extends HubError {}

export async function hubFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    throw new HubUnreachableError(
      `cannot reach ${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
      undefined,
      { cause: e },
    );
  }
}

/**
 * HEAD the resolve URL without following absolute redirects (the CDN), following relative ones
 * (renamed repos), and read the metadata headers.
 */
export async function fetchMetadata(url: string, req: HubRequest): Promise<FileMetadata> {
  let cur = url;
  for (let hops = 0; hops < 10; hops++) {
    const res = await hubFetch(cur, {
      method: 'HEAD',
      redirect: 'manual',
      headers: { ...authHeaders(req.token), 'accept-encoding': 'identity' },
    });
    const loc = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && loc && !/^https?:\/\//i.test(loc)) {
      cur = new URL(loc, cur).toString();
      continue;
    }
    if (res.status >= 400) throw responseError(res, cur, req);
    const linked = normalizeEtag(res.headers.get('x-linked-etag'));
    const size = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
    return {
      commit: res.headers.get('x-repo-commit') ?? undefined,
      etag: linked ?? normalizeEtag(res.headers.get('etag')),
      lfs: linked !== undefined,
      size: size !== null && /^\d+$/.test(size) ? Number(size) : undefined,
      location: res.status >= 300 && res.status < 400 && loc ? loc : cur,
    };
  }
  throw new HubError(`${url}: too many relative redirects`);
}
