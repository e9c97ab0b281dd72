// Loads a model folder over HTTP in the browser (config.json, model.safetensors, tokenizer files): the same
// files a Hub repo or the embedded default model (models/default) holds.
import {
  type AlbertConfig,
  bindWeights,
  type HeadName,
  headParams,
  mulberry32,
  parseConfigBytes,
  readWeights,
  Tensor,
  type WeightMap,
} from '@albertjs/core';
import { fromAlbertTokenizer, PIPELINE_TOKENIZER_OPTIONS, type PipelineTokenizer } from '@albertjs/pipelines';
import { AlbertTokenizerFast } from '@albertjs/tokenizer';

export interface FetchedModel {
  base: string;
  config: AlbertConfig;
  tokenizer: PipelineTokenizer;
  /**
   * Binds the weights to a model class. Head weights the checkpoint lacks (a pre-training checkpoint has no
   * classifier) are newly initialized as transformers does (normal(0, initializer_range), zero biases) and
   * listed in `initialized`, so the page can say that the scores are not from a fine-tuned head.
   */
  weightsFor(head: HeadName): { weights: WeightMap; initialized: string[] };
}

function bindWithNewHead(
  head: HeadName,
  config: AlbertConfig,
  tensors: Map<string, Tensor>,
): { weights: WeightMap; initialized: string[] } {
  const { report } = bindWeights(head, config, tensors, { allowMissing: true });
  if (report.missing.length === 0) return { weights: bindWeights(head, config, tensors).weights, initialized: [] };
  if (report.missing.some((k) => k.startsWith('albert.embeddings.') || k.includes('.albert_layer_groups.'))) {
    throw new Error(`the checkpoint lacks encoder weights for ${head}: ${report.missing.slice(0, 3).join(', ')}`);
  }
  const rand = mulberry32(0); // seeded: a page shows the same untrained head on every run
  const filled = new Map(tensors);
  for (const p of headParams(head, config).filter((x) => report.missing.includes(x.name))) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (!p.name.endsWith('.bias')) {
      for (let i = 0; i < n; i++) {
        // Box–Muller: normal(0, initializer_range)
        data[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * config.initializer_range;
      }
    }
    filled.set(p.name, new Tensor('float32', data, p.shape));
  }
  return { weights: bindWeights(head, config, filled).weights, initialized: report.missing };
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
  const tok = AlbertTokenizerFast.fromFiles(
    {
      ...(tokJson ? { 'tokenizer.json': text(tokJson)! } : {}),
      ...(tokCfg ? { 'tokenizer_config.json': text(tokCfg)! } : {}),
      ...(spiece ? { 'spiece.model': spiece } : {}),
    },
    PIPELINE_TOKENIZER_OPTIONS,
  );
  return {
    base,
    config,
    tokenizer: fromAlbertTokenizer(tok),
    weightsFor: (head) => bindWithNewHead(head, config, tensors),
  };
}
