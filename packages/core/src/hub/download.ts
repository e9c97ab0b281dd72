// Downloads one file of a Hub repo into the huggingface_hub cache layout (Node), shared with Python:
//   <cache>/models--org--name/blobs/<etag>            the bytes (written as <etag>.incomplete, resumed with Range, then renamed)
//   <cache>/models--org--name/snapshots/<commit>/<f>  a relative symlink to the blob
//   <cache>/models--org--name/refs/<revision>         the commit a branch or tag pointed to
//   <cache>/.locks/models--org--name/<etag>.albertjs.lock  held while a blob downloads
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/file_download.py (_hf_hub_download_to_cache_dir)
import { HubError, InputError } from '../errors.js';
import { isCommitHash, repoFolderName, resolveUrl } from './env.js';
import {
  authHeaders,
  EntryNotFoundError,
  type FileMetadata,
  fetchMetadata,
  HubUnreachableError,
  hubFetch,
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
  /** Never use the network: only the cache. */
  localFilesOnly?: boolean;
  onProgress?: (p: DownloadProgress) => void;
}

async function exists(p: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
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

/** The snapshot path of `file` for `revision` (a commit, or a ref resolved through refs/), if cached. */
export async function cachedFile(
  cacheDir: string,
  repoId: string,
  revision: string,
  file: string,
): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
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
  return (await exists(p)) ? p : undefined;
}

async function sha256File(path: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** GETs `meta.location` into `incomplete`, resuming from its current size with a Range request. */
async function downloadBlob(
  repoId: string,
  file: string,
  meta: FileMetadata,
  incomplete: string,
  endpoint: string,
  opts: HubFileOptions,
): Promise<void> {
  const { stat, open, truncate } = await import('node:fs/promises');
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
  const res = await hubFetch(meta.location, { headers, redirect: 'follow' });
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
  try {
    if (!res.body) throw new HubError(`${meta.location}: empty response body`);
    opts.onProgress?.({ file, loaded, total });
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      loaded += chunk.byteLength;
      opts.onProgress?.({ file, loaded, total });
    }
  } catch (e) {
    if (e instanceof HubError) throw e;
    throw new HubError(
      `${meta.location}: connection lost after ${loaded}${total !== undefined ? ` of ${total}` : ''} bytes (truncated body; run again to resume)`,
      undefined,
      { cause: e },
    );
  } finally {
    await fh.close();
  }
  if (total !== undefined && loaded !== total) {
    throw new HubError(`${meta.location}: truncated body: received ${loaded} of ${total} bytes (run again to resume)`);
  }
}

/** A lock older than this without a heartbeat belongs to a dead process. */
const STALE_LOCK_MS = 60_000;

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL create), so that two processes never write the same
 * `.incomplete` blob. The holder refreshes the lock's mtime through `heartbeat` while it downloads.
 */
async function withLock(lock: string, fn: (heartbeat: () => void) => Promise<void>): Promise<void> {
  const { open, rm, stat, mkdir, utimes } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(lock), { recursive: true });
  for (;;) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await stat(lock).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STALE_LOCK_MS) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 50));
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
    await rm(lock, { force: true });
  }
}

/** Points `pointer` at `blob` with a relative symlink (a copy where symlinks are unavailable), atomically. */
async function linkInto(blob: string, pointer: string): Promise<void> {
  const { mkdir, symlink, copyFile, rename, rm } = await import('node:fs/promises');
  const { dirname, relative } = await import('node:path');
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
  const { mkdir, rename, writeFile, rm } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  checkRevision(opts.revision);
  checkRepoFile(file);
  const storage = join(opts.cacheDir, repoFolderName(repoId));
  if (isCommitHash(opts.revision) || opts.localFilesOnly) {
    const hit = await cachedFile(opts.cacheDir, repoId, opts.revision, file);
    if (hit || opts.localFilesOnly) return hit;
  }
  const url = resolveUrl(opts.endpoint, repoId, opts.revision, file);
  let meta: FileMetadata;
  try {
    meta = await fetchMetadata(url, { repoId, revision: opts.revision, file, token: opts.token });
  } catch (e) {
    if (e instanceof EntryNotFoundError) return undefined;
    if (e instanceof HubUnreachableError) {
      const hit = await cachedFile(opts.cacheDir, repoId, opts.revision, file);
      if (hit) return hit;
      throw new HubUnreachableError(
        `${e.message}; and ${file} of ${repoId}@${opts.revision} is not in the cache ${opts.cacheDir}`,
        undefined,
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
  if (opts.revision !== meta.commit) {
    const ref = join(storage, 'refs', opts.revision); // `refs/pr/1` nests, as in huggingface_hub
    await mkdir(dirname(ref), { recursive: true });
    await writeFile(ref, meta.commit);
  }
  if (await exists(pointer)) return pointer;
  if (!(await exists(blob))) {
    await mkdir(join(storage, 'blobs'), { recursive: true });
    const lock = join(opts.cacheDir, '.locks', repoFolderName(repoId), `${meta.etag}.albertjs.lock`);
    const etag = meta.etag;
    await withLock(lock, async (heartbeat) => {
      if (await exists(blob)) return; // another process finished it while we waited
      const incomplete = `${blob}.incomplete`;
      const onProgress = (p: DownloadProgress) => {
        heartbeat();
        opts.onProgress?.(p);
      };
      await downloadBlob(repoId, file, meta, incomplete, opts.endpoint, { ...opts, onProgress });
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
