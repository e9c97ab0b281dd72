// loadPretrained: transformers' from_pretrained for ALBERT weights. Resolves a local folder, the Hugging Face
// cache (shared with Python), or downloads from the Hub; reads any checkpoint format; binds to a model class.
// https://github.com/huggingface/transformers/blob/main/src/transformers/modeling_utils.py (from_pretrained)
import { type CheckpointFormat, readWeights, WEIGHT_FILES } from './checkpoints/formats.js';
import { parseConfigBytes, type RawCheckpoint, readCheckpointDir } from './checkpoints/load.js';
import type { AlbertConfig } from './config.js';
import { applyConfigOverrides, type ConfigOverrides } from './config-overrides.js';
import { CheckpointError, HubError } from './errors.js';
import type { HeadName } from './heads/names.js';
import { resolveOffline } from './hub/env.js';
import { HubUnreachableError } from './hub/http.js';
import { type HubOptions, openPretrained } from './hub/source.js';
import { loadWarnings, withInitializedWeights } from './init-missing.js';
import { type BindOptions, bindWeights, type LoadReport, type WeightMap } from './weights.js';

export interface PretrainedOptions extends BindOptions, HubOptions {
  /** Read this weight format instead of the preferred one present. */
  format?: CheckpointFormat;
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

/** Config and raw tensors of a local folder, a HF cache folder, a folder URL (see modelFolderUrl) or a Hub repo. */
export async function loadCheckpoint(idOrPath: string, options: PretrainedOptions = {}): Promise<RawCheckpoint> {
  const source = await openPretrained(idOrPath, options);
  if (source.kind === 'folder') return readCheckpointDir(source.dir!, { format: options.format });
  const { read, files, where } = source;
  const offline = options.localFilesOnly
    ? ' in the local cache (localFilesOnly)'
    : source.kind === 'hub' && resolveOffline()
      ? ' in the local cache (HF_HUB_OFFLINE)'
      : '';
  const cfg = await read('config.json');
  if (!cfg) throw new HubError(`${where} has no config.json${offline}`, 404);
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
  throw new CheckpointError(
    `${where} has no weights file${offline} (looked for ${candidates.map((w) => w.file).join(', ')})`,
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
