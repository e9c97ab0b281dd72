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
export class EntryNotFoundError extends HubError {
  /** The commit the Hub named in X-Repo-Commit (where huggingface_hub records the absence: .no_exist/<commit>/). */
  commit: string | undefined;
}

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
    const e = new EntryNotFoundError(`${url}: 404: ${req.file} not found in ${req.repoId}@${req.revision}${detail}`, s);
    e.commit = res.headers.get('x-repo-commit') ?? undefined;
    return e;
  }
  if (s >= 500 || s === 429) return new HubUnreachableError(`${url}: HTTP ${s} ${res.statusText}${detail}`, s);
  return new HubError(`${url}: HTTP ${s} ${res.statusText}${detail}`, s);
}

/** A network failure (no response at all, a timeout, or a 5xx after retries): the caller may fall back to the cache. */
export class HubUnreachableError extends HubError {}

/** No answer (or no data) within the timeout. */
export class HubTimeoutError extends HubUnreachableError {}

/** The connection ended before the whole body arrived. */
export class HubConnectionLostError extends HubUnreachableError {}

export interface NetOptions {
  /** Give up when no response (or, for bodies, no data) arrives within this many ms. */
  timeoutMs?: number;
  /** The setting that controls timeoutMs, named in timeout errors. */
  timeoutName?: string;
  /** Retries after a timeout, a reset connection or a 5xx/429 answer (default 2; 0 = none). */
  maxRetries?: number;
  /** First backoff delay in ms, doubled each retry up to 8 s (default 1000, as huggingface_hub's http_backoff). */
  retryDelayMs?: number;
}

/** huggingface_hub retries these statuses (http_backoff's retry_on_status_codes, plus 429). */
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

const TRANSIENT = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Worth retrying: a timeout, a connection lost or reset, a 429/5xx answer (not a refused connection or a bad URL). */
export function isTransient(e: unknown): boolean {
  if (e instanceof HubTimeoutError || e instanceof HubConnectionLostError) return true;
  if (e instanceof HubUnreachableError && e.status !== undefined) return true; // 429 / 5xx
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && TRANSIENT.has(c)) return true;
    if ((cur as Error).message === 'terminated') return true; // undici: the body's connection closed early
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export function backoffMs(attempt: number, net: NetOptions): number {
  return Math.min((net.retryDelayMs ?? 1000) * 2 ** attempt, 8000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * fetch with a timeout until the response headers arrive; network failures and timeouts become
 * HubUnreachableError / HubTimeoutError naming the URL (and the timeout).
 */
export async function hubFetch(url: string, init: RequestInit, net: NetOptions = {}): Promise<Response> {
  const ms = net.timeoutMs;
  const ctrl = new AbortController();
  const timer = ms !== undefined ? setTimeout(() => ctrl.abort(), ms) : undefined;
  const signal = init.signal ? AbortSignal.any([init.signal, ctrl.signal]) : ctrl.signal;
  try {
    return await fetch(url, { ...init, signal });
  } catch (e) {
    if (ctrl.signal.aborted)
      throw new HubTimeoutError(
        `${init.method ?? 'GET'} ${url}: no response within ${ms! / 1000} s${net.timeoutName ? ` (${net.timeoutName})` : ''}`,
        undefined,
        { cause: e },
      );
    throw new HubUnreachableError(
      `cannot reach ${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
      undefined,
      { cause: e },
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * hubFetch, retried with exponential backoff (bounded by maxRetries) after timeouts, lost connections and
 * 429/5xx answers (isTransient); a refused connection is not retried. The last 5xx response is returned for the caller to map.
 */
export async function hubFetchRetrying(url: string, init: RequestInit, net: NetOptions = {}): Promise<Response> {
  const retries = net.maxRetries ?? 2;
  for (let attempt = 0; ; attempt++) {
    let res: Response | undefined;
    try {
      res = await hubFetch(url, init, net);
    } catch (e) {
      if (attempt >= retries || !isTransient(e)) throw e;
    }
    if (res && (!RETRY_STATUS.has(res.status) || attempt >= retries)) return res;
    await res?.body?.cancel().catch(() => {});
    await sleep(backoffMs(attempt, net));
  }
}

/**
 * HEAD the resolve URL without following absolute redirects (the CDN), following relative ones
 * (renamed repos, /api/resolve-cache), and read the metadata headers.
 */
export async function fetchMetadata(url: string, req: HubRequest, net: NetOptions = {}): Promise<FileMetadata> {
  let cur = url;
  for (let hops = 0; hops < 10; hops++) {
    const res = await hubFetchRetrying(
      cur,
      {
        method: 'HEAD',
        redirect: 'manual',
        headers: { ...authHeaders(req.token), 'accept-encoding': 'identity' },
      },
      net,
    );
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
