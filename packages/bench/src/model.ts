// The model shape a benchmark runs: a preset name (`albert-base-v2`), `tiny` (a seconds-fast shape for
// smoke runs) or a model folder (its config.json; weights are drawn at random, timing does not depend on them).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AlbertConfig, ConfigError, checkParamSizes, PRESET_NAMES, presetKey } from '@albertjs/core';

/** `tiny`: an ALBERT small enough for CI smoke runs (2 layers, H 32), shaped like the parity fixtures' `tiny`. */
export const TINY_FIELDS = {
  vocab_size: 1000,
  embedding_size: 16,
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  intermediate_size: 64,
  max_position_embeddings: 64,
  hidden_act: 'gelu_new',
} as const;

export interface ResolvedModel {
  /** As given: `albert-base-v2`, `tiny` or the folder path. */
  name: string;
  /** Where the shape came from: 'preset albert/albert-base-v2', 'built-in tiny', 'folder <path>/config.json'. */
  source: string;
  config: AlbertConfig;
}

export async function resolveModel(name: string): Promise<ResolvedModel> {
  if (name === 'tiny') return { name, source: 'built-in tiny', config: new AlbertConfig({ ...TINY_FIELDS }) };
  const key = presetKey(name);
  if (key) return { name, source: `preset ${key}`, config: AlbertConfig.fromPreset(key) };
  const cfgPath = join(name, 'config.json');
  let text: string;
  try {
    text = await readFile(cfgPath, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `--model ${JSON.stringify(name)} is neither a preset (tiny, ${PRESET_NAMES.join(', ')}) nor a folder with a readable config.json (${(e as Error).message})`,
      { cause: e },
    );
  }
  const config = AlbertConfig.fromJSON(text, cfgPath);
  // refused here, in the parent, rather than as a RangeError in each backend's process
  checkParamSizes(config, 'AlbertForPreTraining');
  return { name, source: `folder ${cfgPath}`, config };
}
