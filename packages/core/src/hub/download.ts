// Downloads one file of a Hub repo into the huggingface_hub cache layout (Node), shared with Python:
//   <cache>/models--org--name/blobs/<etag>            the bytes (written as <etag>.incomplete, resumed with Range, then renamed)
//   <cache>/models--org--name/snapshots/<commit>/<f>  a relative symlink to the blob
//   <cache>/models--org--name/refs/<revision>         the commit a branch or tag pointed to
// https://github.com/huggingface/huggingface_hub/blob/main/src/huggingface_hub/file_download.py (_hf_hub_download_to_cache_dir)
import { HubError } from '../errors.js';
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

/** The snapshot path of `file` for `revision` (a commit, or a ref resolved through refs/), if cached. */
export async function cachedFile(
  cacheDir: string,
  repoId: string,
  revision: string,
  file: string,
): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
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
  const sameOrigin = new URL(meta.location).origin === new URL(endpoint).origin;
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    ...(sameOrigin ? authHeaders(opts.token) : {}),
  };
  if (have > 0) headers.range = `bytes=${have}-`;
  const res = await hubFetch(meta.location, { headers, redirect: 'follow' });
  if (res.status === 416 && have > 0 && have === meta.size) return;
  if (res.status !== 200 && res.status !== 206)
    throw responseError(res, meta.location, { repoId: '', revision: opts.revision, file, token: opts.token });
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

async function linkInto(blob: string, pointer: string): Promise<void> {
  const { mkdir, symlink, copyFile, rm } = await import('node:fs/promises');
  const { dirname, relative } = await import('node:path');
  await mkdir(dirname(pointer), { recursive: true });
  await rm(pointer, { force: true });
  try {
    await symlink(relative(dirname(pointer), blob), pointer);
  } catch {
    await copyFile(blob, pointer); // file systems without symlinks, as huggingface_hub does on Windows
  }
}

/**
 * Path of `file` in the local cache, downloading it when needed. Resolves undefined when the repo has no
 * such file (404 EntryNotFound); throws HubError for gated / missing repos, truncated or corrupt downloads.
 */
export async function hubFile(repoId: string, file: string, opts: HubFileOptions): Promise<string | undefined> {
  const { mkdir, rename, writeFile, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
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
      throw new HubError(
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
    await mkdir(join(storage, 'refs'), { recursive: true });
    await writeFile(join(storage, 'refs', opts.revision), meta.commit);
  }
  if (await exists(pointer)) return pointer;
  if (!(await exists(blob))) {
    await mkdir(join(storage, 'blobs'), { recursive: true });
    const incomplete = `${blob}.incomplete`;
    await downloadBlob(file, meta, incomplete, opts.endpoint, opts);
    if (meta.lfs && /^[0-9a-f]{64}$/.test(meta.etag)) {
      const got = await sha256File(incomplete);
      if (got !== meta.etag) {
        await rm(incomplete, { force: true });
        throw new HubError(
          `${url}: sha256 of the downloaded ${file} is ${got}, the Hub says ${meta.etag} (corrupt download, removed)`,
        );
      }
    }
    await rename(incomplete, blob);
  }
  await linkInto(blob, pointer);
  return pointer;
}
