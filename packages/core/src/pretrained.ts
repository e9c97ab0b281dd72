// loadPretrained: transformers' from_pretrained for ALBERT weights. Resolves a local folder, the Hugging Face
// cache (shared with Python), or downloads from the Hub; reads any checkpoint format; binds to a model class.
// https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_utils.py (from_pretrained)
import { type CheckpointFormat, type FileReader, readWeights, WEIGHT_FILES } from './checkpoints/formats.js';
import { parseConfigBytes, type RawCheckpoint, readCheckpointDir } from './checkpoints/load.js';
import { modelFolderUrl, urlReader } from './checkpoints/url.js';
import type { AlbertConfig } from './config.js';
import { applyConfigOverrides, type ConfigOverrides } from './config-overrides.js';
import { CheckpointError, HubError } from './errors.js';
import type { HeadName } from './heads/names.js';
import { type DownloadProgress, hubFile } from './hub/download.js';
import {
  checkRepoId,
  isNode,
  resolveCacheDir,
  resolveEndpoint,
  resolveTokenWithStored,
  resolveUrl,
} from './hub/env.js';
import { authHeaders, EntryNotFoundError, HubUnreachableError, hubFetch, responseError } from './hub/http.js';
import { loadWarnings, withInitializedWeights } from './init-missing.js';
import { type BindOptions, bindWeights, type LoadReport, type WeightMap } from './weights.js';

export interface PretrainedOptions extends BindOptions {
  /** Branch, tag or commit (default `main`). */
  revision?: string;
  /** Hub cache folder (default HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub). */
  cacheDir?: string;
  /** Hub token for gated / private repos (default HF_TOKEN, else the token `huggingface-cli login` stored). */
  token?: string;
  /** Use only the cache, never the network. */
  localFilesOnly?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  /** Hub endpoint (default HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /** Read this weight format instead of the preferred one present. */
  format?: CheckpointFormat;
  /**
   * `false`: fetch Hub files into memory without the disk cache (what browsers always do; useful on
   * read-only file systems). Default true in Node.
   */
  cache?: boolean;
  /** Config fields replacing the checkpoint's (`num_labels`, `id2label`, `problem_type`, dropout …), validated. */
  config?: ConfigOverrides;
  /**
   * Give weights the checkpoint lacks (a new head) fresh `_init_weights` values, as from_pretrained does, and warn.
   * Default true; false throws a CheckpointError naming them (allowMissing: leave them absent).
   */
  initializeMissing?: boolean;
  /** Seed of the fresh weights (mulberry32). Default 0. */
  seed?: number;
  /** Where transformers' "Some weights … newly initialized" warnings go. Default console.warn. */
  onWarning?: (message: string) => void;
}

export interface PretrainedModel {
  config: AlbertConfig;
  weights: WeightMap;
  report: LoadReport;
  /** The files read: local paths (cache snapshot paths for Hub models) or URLs in browsers. */
  files: string[];
  format: CheckpointFormat;
}

async function isDir(p: string): Promise<boolean> {
  if (!isNode()) return false;
  const { stat } = await import('node:fs/promises');
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** A FileReader over the Hub: cached files in Node, in-memory fetches in browsers (or with cache: false). Records what it read. */
async function hubReader(repoId: string, options: PretrainedOptions, files: string[]): Promise<FileReader> {
  const endpoint = resolveEndpoint(options.endpoint);
  const revision = options.revision ?? 'main';
  const token = await resolveTokenWithStored(options.token);
  if (isNode() && options.cache !== false) {
    const { readFile } = await import('node:fs/promises');
    const cacheDir = await resolveCacheDir(options.cacheDir);
    const paths = new Map<string, string | undefined>();
    return async (file) => {
      if (!paths.has(file)) {
        paths.set(
          file,
          await hubFile(repoId, file, {
            endpoint,
            cacheDir,
            revision,
            token,
            localFilesOnly: options.localFilesOnly,
            onProgress: options.onProgress,
          }),
        );
      }
      const p = paths.get(file);
      if (!p) return undefined;
      if (!files.includes(p)) files.push(p);
      return new Uint8Array(await readFile(p));
    };
  }
  if (options.localFilesOnly)
    throw new HubError(`localFilesOnly without a cache (browser or cache: false): cannot load ${repoId}`);
  return async (file) => {
    const url = resolveUrl(endpoint, repoId, revision, file);
    const res = await hubFetch(url, { headers: authHeaders(token) });
    if (!res.ok) {
      const err = responseError(res, url, { repoId, revision, file, token });
      if (err instanceof EntryNotFoundError) return undefined;
      throw err;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    const want = res.headers.get('content-length');
    if (
      want !== null &&
      /^\d+$/.test(want) &&
      Number(want) !== bytes.byteLength &&
      !res.headers.get('content-encoding')
    ) {
      throw new HubError(`${url}: truncated body: received ${bytes.byteLength} of ${want} bytes`);
    }
    options.onProgress?.({ file, loaded: bytes.byteLength, total: bytes.byteLength });
    files.push(url);
    return bytes;
  };
}

/** Config and raw tensors of a local folder, a folder URL (see modelFolderUrl) or a Hub repo. */
export async function loadCheckpoint(idOrPath: string, options: PretrainedOptions = {}): Promise<RawCheckpoint> {
  if (await isDir(idOrPath)) return readCheckpointDir(idOrPath, { format: options.format });
  const url = modelFolderUrl(idOrPath);
  const files: string[] = [];
  if (url) {
    const fetchFile = urlReader(url);
    const read: FileReader = async (f) => {
      const bytes = await fetchFile(f);
      if (bytes) files.push(new URL(f, url).href);
      return bytes;
    };
    return readCheckpointFrom(read, url, files, options);
  }
  const repoId = checkRepoId(idOrPath);
  const read = await hubReader(repoId, options, files);
  return readCheckpointFrom(read, `${repoId}@${options.revision ?? 'main'}`, files, options);
}

/**
 * config.json and the first weights format `read` finds (WEIGHT_FILES order) of a folder that cannot be listed
 * (a Hub repo, a folder URL). `where` names the folder in errors; `files` collects what was read.
 */
async function readCheckpointFrom(
  read: FileReader,
  where: string,
  files: string[],
  options: PretrainedOptions,
): Promise<RawCheckpoint> {
  const cfg = await read('config.json');
  if (!cfg)
    throw new HubError(
      `${where} has no config.json${options.localFilesOnly ? ' in the local cache (localFilesOnly)' : ''}`,
      404,
    );
  const config = parseConfigBytes(cfg, `${where}${where.endsWith('/') ? '' : '/'}config.json`);
  const candidates = options.format ? WEIGHT_FILES.filter((w) => w.format === options.format) : WEIGHT_FILES;
  let unreachable: HubUnreachableError | undefined;
  for (const { format, file } of candidates) {
    let first: Uint8Array | undefined;
    try {
      first = await read(file);
    } catch (e) {
      // offline and this format is not cached: another cached format may still do
      if (!(e instanceof HubUnreachableError)) throw e;
      unreachable ??= e;
      continue;
    }
    if (!first) continue;
    const { tensors } = await readWeights(format, async (f) => (f === file ? first : read(f)));
    return { config, tensors, files, format };
  }
  if (unreachable) throw unreachable;
  const cached = options.localFilesOnly ? ' in the local cache (localFilesOnly)' : '';
  throw new CheckpointError(
    `${where} has no weights file${cached} (looked for ${candidates.map((w) => w.file).join(', ')})`,
  );
}

/**
 * `AlbertXxx.from_pretrained(idOrPath)`: config, weights bound to `head` and the load report.
 * `idOrPath` is a local folder, a Hub repo id (`albert/albert-base-v2`) or a folder URL (`https://…/`, and in a
 * browser a path such as `/models/albert/`).
 */
export async function loadPretrained(
  idOrPath: string,
  head: HeadName,
  options: PretrainedOptions = {},
): Promise<PretrainedModel> {
  const raw = await loadCheckpoint(idOrPath, options);
  const { tensors, files, format } = raw;
  const config = options.config ? applyConfigOverrides(raw.config, options.config) : raw.config;
  const initialize = options.initializeMissing !== false && !options.allowMissing;
  const bind = { dtype: options.dtype, ignoreMismatchedSizes: options.ignoreMismatchedSizes };
  const first = bindWeights(head, config, tensors, { ...bind, allowMissing: options.allowMissing || initialize });
  const { report } = first;
  let { weights } = first;
  if (initialize) {
    report.newlyInitialized = [...report.missing, ...report.mismatched.map((m) => m.name)];
    if (report.newlyInitialized.length) {
      const all = withInitializedWeights(head, config, weights, report.newlyInitialized, options.seed ?? 0);
      weights = bindWeights(head, config, all, { dtype: options.dtype }).weights;
    }
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  for (const line of loadWarnings(head, idOrPath, report)) warn(line);
  return { config, weights, report, files, format };
}

/** `from_pretrained` without a model class: config and raw tensors of a folder or Hub repo (= loadCheckpoint). */
export const fromPretrained: (idOrPath: string, options?: PretrainedOptions) => Promise<RawCheckpoint> = loadCheckpoint;
