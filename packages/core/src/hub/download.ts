// Downloads one file of a Hub repo into the huggingface_hub cache layout (Node), shared with Python:
//   <cache>/models--org--name/blobs/<etag>            the bytes (written as <etag>.incomplete, resumed with Range, then renamed)
//   <cache>/models--org--name/snapshots/<commit>/<f>  a relative symlink to the blob
//   <cache>/models--org--name/refs/<revision>         the commit a branch or tag pointed to
//   <cache>/models--org--name/.no_exist/<commit>/<f>   an empty file: the repo has no <f> at <commit> (offline: absent)
//   <cache>/.locks/models--org--name/<etag>.albertjs.lock  held while a blob downloads ({ pid, host, file } inside)
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/file_download.py (_hf_hub_download_to_cache_dir)
import { HubError, InputError } from '../errors.js';
import { nodeCrypto, nodeFs, nodeFsPromises, nodeOs, nodePath } from '../platform/node.js';
import { isCommitHash, repoFolderName, resolveOffline, resolveTimeoutMs, resolveUrl } from './env.js';
import {
  authHeaders,
  backoffMs,
  EntryNotFoundError,
  type FileMetadata,
  fetchMetadata,
  HubConnectionLostError,
  HubTimeoutError,
  HubUnreachableError,
  hubFetch,
  isTransient,
  type NetOptions,
  responseError,
} from './http.js';

export interface DownloadProgress {
  file: string;
  /** Bytes on disk so far (a resumed download starts at the partial size). */
  loaded: number;
  total: number | undefined;
}

export interface HubFileOptions {
  endpoint: string;
  cacheDir: string;
  revision: string;
  token?: string;
  /** Never use the network: only the cache (also when HF_HUB_OFFLINE / env.offline is set). */
  localFilesOnly?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  /** Metadata (HEAD) timeout in ms (default HF_HUB_ETAG_TIMEOUT seconds, else 10 s). */
  etagTimeoutMs?: number;
  /** Download inactivity timeout in ms (default HF_HUB_DOWNLOAD_TIMEOUT seconds, else 10 s). */
  downloadTimeoutMs?: number;
  /** Retries after timeouts, lost connections and 5xx answers (default 2), with backoff from retryDelayMs (1000). */
  maxRetries?: number;
  retryDelayMs?: number;
  /** Told once what this call waits for when another live process holds the file's download lock (default console.warn). */
  onLockWait?: (message: string) => void;
  /** Called when the Hub could not be reached and the cache is used instead. */
  onUnreachable?: (e: HubUnreachableError) => void;
}

async function exists(p: string): Promise<boolean> {
  const { stat } = nodeFsPromises();
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Revisions are branch, tag or commit names; `..` segments would escape the cache folder. */
export function checkRevision(rev: string): void {
  if (!rev || rev.split('/').some((s) => s === '' || s === '.' || s === '..') || rev.includes('\\')) {
    throw new InputError(`revision ${JSON.stringify(rev)} is not a valid branch, tag or commit name`);
  }
}

/** Repo file paths are relative `a/b.json` paths without `..`. */
export function checkRepoFile(file: string): void {
  if (
    !file ||
    file.startsWith('/') ||
    file.split('/').some((s) => s === '' || s === '.' || s === '..') ||
    file.includes('\\')
  ) {
    throw new InputError(`${JSON.stringify(file)} is not a valid file path inside a repo`);
  }
}

/**
 * What the cache knows about `file` at `revision` (a commit, or a ref resolved through refs/): its snapshot path,
 * `null` when huggingface_hub recorded that the repo lacks it (.no_exist/<commit>/<file>), else undefined.
 */
export async function cachedEntry(
  cacheDir: string,
  repoId: string,
  revision: string,
  file: string,
): Promise<string | null | undefined> {
  const { readFile } = nodeFsPromises();
  const { join } = nodePath();
  checkRevision(revision);
  checkRepoFile(file);
  const storage = join(cacheDir, repoFolderName(repoId));
  let commit = revision;
  if (!isCommitHash(revision)) {
    try {
      commit = (await readFile(join(storage, 'refs', revision), 'utf8')).trim();
    } catch {
      return undefined;
    }
  }
  const p = join(storage, 'snapshots', commit, file);
  if (await exists(p)) return p;
  if (await exists(join(storage, '.no_exist', commit, file))) return null;
  return undefined;
}

/** The snapshot path of `file` for `revision` (a commit, or a ref resolved through refs/), if cached. */
export async function cachedFile(
  cacheDir: string,
  repoId: string,
  revision: string,
  file: string,
): Promise<string | undefined> {
  return (await cachedEntry(cacheDir, repoId, revision, file)) ?? undefined;
}

async function sha256File(path: string): Promise<string> {
  const { createHash } = nodeCrypto();
  const { createReadStream } = nodeFs();
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GETs `meta.location` into `incomplete` once, resuming from its current size with a Range request. */
async function downloadOnce(
  repoId: string,
  file: string,
  meta: FileMetadata,
  incomplete: string,
  endpoint: string,
  opts: HubFileOptions,
  net: NetOptions,
): Promise<void> {
  const { stat, open, truncate } = nodeFsPromises();
  let have = (await stat(incomplete).catch(() => undefined))?.size ?? 0;
  if (meta.size !== undefined && have > meta.size) {
    await truncate(incomplete, 0);
    have = 0;
  }
  if (have > 0 && have === meta.size) return; // complete but not yet verified and renamed
  const sameOrigin = new URL(meta.location).origin === new URL(endpoint).origin;
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    ...(sameOrigin ? authHeaders(opts.token) : {}),
  };
  if (have > 0) headers.range = `bytes=${have}-`;
  const body = new AbortController();
  const res = await hubFetch(meta.location, { headers, redirect: 'follow', signal: body.signal }, net);
  if (res.status !== 200 && res.status !== 206)
    throw responseError(res, meta.location, { repoId, revision: opts.revision, file, token: opts.token });
  if (res.status === 206) {
    const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (start === undefined || Number(start) !== have)
      throw new HubError(`${meta.location}: server resumed at byte ${start ?? '?'} instead of ${have}`);
  } else have = 0;
  const total = meta.size;
  const fh = await open(incomplete, have > 0 ? 'a' : 'w');
  let loaded = have;
  const of = () => `${loaded}${total !== undefined ? ` of ${total}` : ''} bytes`;
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    if (net.timeoutMs !== undefined)
      timer = setTimeout(() => {
        stalled = true;
        body.abort();
      }, net.timeoutMs);
  };
  try {
    if (!res.body) throw new HubError(`${meta.location}: empty response body`);
    opts.onProgress?.({ file, loaded, total });
    arm();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      await fh.write(chunk);
      loaded += chunk.byteLength;
      opts.onProgress?.({ file, loaded, total });
    }
  } catch (e) {
    if (stalled)
      throw new HubTimeoutError(
        `${meta.location}: no data for ${net.timeoutMs! / 1000} s (${net.timeoutName}) after ${of()} (stalled body)`,
        undefined,
        { cause: e },
      );
    if (e instanceof HubError) throw e;
    throw new HubConnectionLostError(`${meta.location}: connection lost after ${of()} (truncated body)`, undefined, {
      cause: e,
    });
  } finally {
    clearTimeout(timer);
    await fh.close();
  }
  if (total !== undefined && loaded !== total)
    throw new HubConnectionLostError(`${meta.location}: truncated body: received ${of()}`);
}

/**
 * downloadOnce, retried (resuming with Range) after a stall, a lost connection or a 5xx, as huggingface_hub's
 * http_get does; bounded by maxRetries. The partial file stays for the next run.
 */
async function downloadBlob(
  repoId: string,
  file: string,
  meta: FileMetadata,
  incomplete: string,
  endpoint: string,
  opts: HubFileOptions,
  net: NetOptions,
): Promise<void> {
  const retries = net.maxRetries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      return await downloadOnce(repoId, file, meta, incomplete, endpoint, opts, net);
    } catch (e) {
      if (!isTransient(e) || attempt >= retries) {
        if (e instanceof HubUnreachableError)
          throw new (e instanceof HubTimeoutError ? HubTimeoutError : HubUnreachableError)(
            `${e.message}${attempt > 0 ? `, ${attempt} ${attempt === 1 ? 'retry' : 'retries'} made` : ''}; run again to resume`,
            e.status,
            { cause: e },
          );
        throw e;
      }
      await sleep(backoffMs(attempt, net));
    }
  }
}

/** A lock with no heartbeat for this long belongs to a dead or hung process. */
const STALE_LOCK_MS = 60_000;

interface LockHolder {
  pid: number;
  host: string;
  file: string;
  repoId: string;
  started: string;
}

/** Locks this process holds, removed if it exits (process.exit, end of the event loop) while holding them. */
const heldLocks = new Set<string>();
let exitHook = false;
function removeHeldLocksAtExit(): void {
  const proc = globalThis.process;
  if (exitHook || !proc?.getBuiltinModule) return;
  exitHook = true;
  proc.once('exit', () => {
    const { rmSync } = proc.getBuiltinModule('node:fs');
    for (const l of heldLocks) rmSync(l, { force: true });
  });
}

function pidAlive(pid: number): boolean {
  try {
    globalThis.process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL create, holder written inside), so that two processes never
 * write the same `.incomplete` blob. A lock whose process is gone (same host) or without a heartbeat for 60 s is
 * broken at once; waiting on a live one is announced once. The holder refreshes the mtime through `heartbeat`.
 */
async function withLock(
  lock: string,
  holder: Omit<LockHolder, 'pid' | 'host' | 'started'>,
  onWait: (message: string) => void,
  fn: (heartbeat: () => void) => Promise<void>,
): Promise<void> {
  const { open, rm, stat, mkdir, utimes, readFile } = nodeFsPromises();
  const { dirname } = nodePath();
  const { hostname } = nodeOs();
  const host = hostname();
  await mkdir(dirname(lock), { recursive: true });
  removeHeldLocksAtExit();
  let announced = false;
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      heldLocks.add(lock);
      const me: LockHolder = { ...holder, pid: globalThis.process.pid, host, started: new Date().toISOString() };
      await fh.writeFile(JSON.stringify(me));
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await stat(lock).catch(() => undefined);
      if (!st) continue;
      let other: Partial<LockHolder> = {};
      try {
        other = JSON.parse(await readFile(lock, 'utf8'));
      } catch {} // being written, or a lock from an older albertjs: judged by its age only
      const age = Date.now() - st.mtimeMs;
      const dead = typeof other.pid === 'number' && other.host === host && !pidAlive(other.pid);
      if (dead || age > STALE_LOCK_MS || (other.pid === undefined && age > 5_000)) {
        await rm(lock, { force: true });
        continue;
      }
      if (!announced) {
        announced = true;
        const who =
          other.pid !== undefined
            ? `process ${other.pid}${other.host !== host ? ` on ${other.host}` : ''}`
            : 'another process';
        onWait(
          `waiting for ${who} to finish downloading ${other.file ?? holder.file} of ${other.repoId ?? holder.repoId} (lock ${lock})`,
        );
      }
      await sleep(100);
    }
  }
  let last = Date.now();
  const heartbeat = () => {
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    utimes(lock, new Date(), new Date()).catch(() => {});
  };
  try {
    await fn(heartbeat);
  } finally {
    heldLocks.delete(lock);
    await rm(lock, { force: true });
  }
}

/** Points `pointer` at `blob` with a relative symlink (a copy where symlinks are unavailable), atomically. */
async function linkInto(blob: string, pointer: string): Promise<void> {
  const { mkdir, symlink, copyFile, rename, rm } = nodeFsPromises();
  const { dirname, relative } = nodePath();
  await mkdir(dirname(pointer), { recursive: true });
  const tmp = `${pointer}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await symlink(relative(dirname(pointer), blob), tmp);
  } catch {
    await copyFile(blob, tmp); // file systems without symlinks, as huggingface_hub does on Windows
  }
  try {
    await rename(tmp, pointer);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new HubError(`cannot place ${pointer} in the cache: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/**
 * Path of `file` in the local cache, downloading it when needed. Resolves undefined when the repo has no
 * such file (404 EntryNotFound); throws HubError for gated / missing repos, truncated or corrupt downloads.
 */
export async function hubFile(repoId: string, file: string, opts: HubFileOptions): Promise<string | undefined> {
  const { mkdir, rename, writeFile, rm } = nodeFsPromises();
  const { dirname, join } = nodePath();
  checkRevision(opts.revision);
  checkRepoFile(file);
  const storage = join(opts.cacheDir, repoFolderName(repoId));
  const offline = opts.localFilesOnly || resolveOffline();
  if (isCommitHash(opts.revision) || offline) {
    const hit = await cachedEntry(opts.cacheDir, repoId, opts.revision, file);
    if (hit !== undefined || offline) return hit ?? undefined;
  }
  const url = resolveUrl(opts.endpoint, repoId, opts.revision, file);
  const retry = { maxRetries: opts.maxRetries, retryDelayMs: opts.retryDelayMs };
  const etagNet: NetOptions = {
    ...retry,
    timeoutMs: resolveTimeoutMs(opts.etagTimeoutMs, 'etagTimeout', 'HF_HUB_ETAG_TIMEOUT'),
    timeoutName: opts.etagTimeoutMs !== undefined ? 'etagTimeoutMs' : 'HF_HUB_ETAG_TIMEOUT',
  };
  const writeRef = async (commit: string) => {
    if (opts.revision === commit) return;
    const ref = join(storage, 'refs', opts.revision); // `refs/pr/1` nests, as in huggingface_hub
    await mkdir(dirname(ref), { recursive: true });
    await writeFile(ref, commit);
  };
  let meta: FileMetadata;
  try {
    meta = await fetchMetadata(url, { repoId, revision: opts.revision, file, token: opts.token }, etagNet);
  } catch (e) {
    if (e instanceof EntryNotFoundError) {
      // remembered, so that an offline run knows the file is absent rather than uncached
      if (e.commit && isCommitHash(e.commit)) {
        await writeRef(e.commit);
        const marker = join(storage, '.no_exist', e.commit, file);
        await mkdir(dirname(marker), { recursive: true });
        await writeFile(marker, '');
      }
      return undefined;
    }
    if (e instanceof HubUnreachableError) {
      opts.onUnreachable?.(e);
      const hit = await cachedEntry(opts.cacheDir, repoId, opts.revision, file);
      if (hit !== undefined) return hit ?? undefined;
      throw new (e instanceof HubTimeoutError ? HubTimeoutError : HubUnreachableError)(
        `${e.message}; and ${file} of ${repoId}@${opts.revision} is not in the cache ${opts.cacheDir}`,
        e.status,
        { cause: e },
      );
    }
    throw e;
  }
  if (!meta.commit)
    throw new HubError(
      `${url}: the server sent no X-Repo-Commit header (is ${opts.endpoint} a Hugging Face Hub endpoint?)`,
    );
  if (!meta.etag) throw new HubError(`${url}: the server sent no ETag; cannot place the file in the cache`);
  if (!/^[\w.-]+$/.test(meta.etag) || !/^[\w.-]+$/.test(meta.commit))
    throw new HubError(`${url}: unusable ETag ${JSON.stringify(meta.etag)} or commit ${JSON.stringify(meta.commit)}`);
  const blob = join(storage, 'blobs', meta.etag);
  const pointer = join(storage, 'snapshots', meta.commit, file);
  await writeRef(meta.commit);
  if (await exists(pointer)) return pointer;
  if (!(await exists(blob))) {
    await mkdir(join(storage, 'blobs'), { recursive: true });
    const lock = join(opts.cacheDir, '.locks', repoFolderName(repoId), `${meta.etag}.albertjs.lock`);
    const etag = meta.etag;
    const downloadNet: NetOptions = {
      ...retry,
      timeoutMs: resolveTimeoutMs(opts.downloadTimeoutMs, 'downloadTimeout', 'HF_HUB_DOWNLOAD_TIMEOUT'),
      timeoutName: opts.downloadTimeoutMs !== undefined ? 'downloadTimeoutMs' : 'HF_HUB_DOWNLOAD_TIMEOUT',
    };
    const onWait = opts.onLockWait ?? ((m: string) => console.warn(`albertjs: ${m}`));
    await withLock(lock, { file, repoId }, onWait, async (heartbeat) => {
      if (await exists(blob)) return; // another process finished it while we waited
      const incomplete = `${blob}.incomplete`;
      const onProgress = (p: DownloadProgress) => {
        heartbeat();
        opts.onProgress?.(p);
      };
      await downloadBlob(repoId, file, meta, incomplete, opts.endpoint, { ...opts, onProgress }, downloadNet);
      if (meta.lfs && /^[0-9a-f]{64}$/.test(etag)) {
        const got = await sha256File(incomplete);
        if (got !== etag) {
          await rm(incomplete, { force: true });
          throw new HubError(
            `${url}: sha256 of the downloaded ${file} is ${got}, the Hub says ${etag} (corrupt download, removed)`,
          );
        }
      }
      await rename(incomplete, blob);
    });
  }
  await linkInto(blob, pointer);
  return pointer;
}
