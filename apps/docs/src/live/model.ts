// Loads a model folder over HTTP in the browser (config.json, model.safetensors, tokenizer files): the same
// files a Hub repo or the embedded default model (models/default) holds.
import {
  type AlbertConfig,
  bindWeights,
  type HeadName,
  parseConfigBytes,
  readWeights,
  type WeightMap,
} from '@albertjs/core';
import { fromAlbertTokenizer, type PipelineTokenizer } from '@albertjs/pipelines';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';

export interface FetchedModel {
  base: string;
  config: AlbertConfig;
  tokenizer: PipelineTokenizer;
  /** Binds the weights to a model class (the load report's missing weights are an error). */
  weightsFor(head: HeadName): WeightMap;
}

async function fetchBytes(url: string): Promise<Uint8Array | undefined> {
  const r = await fetch(url);
  if (r.status === 404) return undefined;
  if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** `base` ends with '/': e.g. `/models/default/`. */
export async function fetchModel(base: string): Promise<FetchedModel> {
  const cfg = await fetchBytes(`${base}config.json`);
  if (!cfg) throw new Error(`${base}config.json not found: is the model folder served?`);
  const config = parseConfigBytes(cfg, `${base}config.json`);
  const { tensors } = await readWeights('safetensors', (f) => fetchBytes(`${base}${f}`));
  const [tokJson, tokCfg, spiece] = await Promise.all([
    fetchBytes(`${base}tokenizer.json`),
    fetchBytes(`${base}tokenizer_config.json`),
    fetchBytes(`${base}spiece.model`),
  ]);
  const tok = AlbertTokenizerFast.fromFiles({
    ...(tokJson ? { 'tokenizer.json': text(tokJson)! } : {}),
    ...(tokCfg ? { 'tokenizer_config.json': text(tokCfg)! } : {}),
    ...(spiece ? { 'spiece.model': spiece } : {}),
  });
  return {
    base,
    config,
    tokenizer: fromAlbertTokenizer(tok),
    weightsFor: (head) => bindWeights(head, config, tensors).weights,
  };
}
