// Resolves `--model` / `<model>`: a local folder, a Hub repo id (downloaded into the Hugging Face cache
// through core, with a progress bar), or the embedded default model.
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AlbertConfig,
  type DownloadProgress,
  loadCheckpoint,
  openPretrained,
  presetKey,
  type RawCheckpoint,
} from '@albertjs/core';
import { CliError, EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { createProgress } from './progress.js';

export interface HubFlags {
  revision?: string;
  cacheDir?: string;
  token?: string;
  offline?: boolean;
}

export function isLocalDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** Download progress of one file after another on a single bar. */
export function downloadProgress(io: CliIO): { onProgress: (p: DownloadProgress) => void; done: () => void } {
  const bar = createProgress(io, { bytes: true });
  let current = '';
  return {
    onProgress: (p) => {
      if (p.file !== current) {
        bar.stop();
        current = p.file;
        bar.start(p.total ?? p.loaded, p.file);
      }
      bar.update(p.loaded);
    },
    done: () => bar.stop(),
  };
}

function hubOptions(flags: HubFlags) {
  return {
    ...(flags.revision ? { revision: flags.revision } : {}),
    ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
    ...(flags.token ? { token: flags.token } : {}),
    ...(flags.offline ? { localFilesOnly: true } : {}),
  };
}

function rejectFile(spec: string): void {
  if (existsSync(spec) && !statSync(spec).isDirectory()) {
    throw new CliError(
      `${spec} is a file; a model is a folder with config.json and weights, or a Hub repo id`,
      EXIT.BAD_INPUT,
    );
  }
}

/** Config and raw tensors of a model folder (any checkpoint format) or Hub repo. */
export async function loadRawModel(
  spec: string,
  io: CliIO,
  flags: HubFlags = {},
): Promise<RawCheckpoint & { source: string }> {
  rejectFile(spec);
  const looksLocal = spec.startsWith('.') || spec.startsWith('/') || spec.includes('\\') || spec.split('/').length > 2;
  if (!isLocalDir(spec) && looksLocal) throw new CliError(`model folder ${spec} does not exist`, EXIT.BAD_INPUT);
  const progress = downloadProgress(io);
  try {
    const raw = await loadCheckpoint(spec, { ...hubOptions(flags), onProgress: progress.onProgress });
    return {
      ...raw,
      source: isLocalDir(spec) ? spec : `${spec} (Hub${flags.revision ? `, revision ${flags.revision}` : ''})`,
    };
  } finally {
    progress.done();
  }
}

/** Files a task needs besides the weights: the tokenizer, in either form. */
const TOKENIZER_FILES = ['tokenizer.json', 'spiece.model', 'tokenizer_config.json', 'special_tokens_map.json'];

/**
 * A local folder for `--model`: the folder itself, the embedded default model (undefined), or the Hub
 * snapshot folder after downloading config, weights and tokenizer files into the cache.
 */
export async function resolveModelDir(
  spec: string | undefined,
  io: CliIO,
  flags: HubFlags = {},
): Promise<string | undefined> {
  if (spec === undefined || spec === 'default') return undefined;
  rejectFile(spec);
  if (isLocalDir(spec)) return spec;
  const raw = await loadRawModel(spec, io, flags);
  const configFile = raw.files.find((f) => f.endsWith('config.json')) ?? raw.files[0];
  if (!configFile) throw new CliError(`${spec}: the Hub returned no files`, EXIT.HUB);
  const progress = downloadProgress(io);
  try {
    // one source for all of them: once the Hub is found unreachable, the rest comes from the cache at once
    const source = await openPretrained(spec, { ...hubOptions(flags), onProgress: progress.onProgress });
    for (const f of TOKENIZER_FILES) await source.read(f);
  } finally {
    progress.done();
  }
  return dirname(configFile);
}

/** The config of an official checkpoint, without weights (`albert-base-v2`, `albert/albert-xxlarge-v2`). */
export function presetConfig(name: string): AlbertConfig {
  const key = presetKey(name);
  if (!key) throw new CliError(`${JSON.stringify(name)} is not a preset name`, EXIT.BAD_INPUT);
  return AlbertConfig.fromPreset(key);
}
