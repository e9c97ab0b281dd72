// Parameter counts for `albert info`: every parameter of a model class, shared ALBERT layers counted once
// (as sum(p.numel() for p in model.parameters()) counts them), tied decoder weights counted once.
import type { AlbertConfig } from './config.js';
import { ConfigError } from './errors.js';
import type { HeadName } from './heads/names.js';
import { headParams, parseLayerKey, untiedDecoderParam } from './heads/spec.js';
import { numel } from './tensor.js';

export interface ParameterCount {
  /** Unique parameters: what transformers' model.num_parameters() reports. */
  total: number;
  embeddings: number;
  /** embedding_hidden_mapping_in + the num_hidden_groups × inner_group_num shared layers. */
  encoder: number;
  pooler: number;
  /** Everything outside the base model (MLM / SOP / classifier / QA heads). */
  head: number;
  /** What a BERT-style model with the same layers unshared would have (each layer application counted). */
  unsharedEquivalent: number;
}

export function countParameters(config: AlbertConfig, head: HeadName = 'AlbertModel'): ParameterCount {
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  const c: ParameterCount = { total: 0, embeddings: 0, encoder: 0, pooler: 0, head: 0, unsharedEquivalent: 0 };
  let layers = 0;
  for (const p of params) {
    const n = numel(p.shape);
    const name = p.name.replace(/^albert\./, '');
    c.total += n;
    if (head !== 'AlbertModel' && !p.name.startsWith('albert.')) c.head += n;
    else if (name.startsWith('embeddings.')) c.embeddings += n;
    else if (name.startsWith('pooler.')) c.pooler += n;
    else {
      c.encoder += n;
      if (parseLayerKey(name)) layers += n;
    }
  }
  // Each group is applied num_hidden_layers / num_hidden_groups times.
  c.unsharedEquivalent = c.total + layers * (config.num_hidden_layers / config.num_hidden_groups - 1);
  return c;
}

/** Largest parameter albertjs allocates: 2^32 bytes, the most one JS ArrayBuffer holds in Node 20 and browsers. */
export const MAX_PARAM_BYTES = 2 ** 32;

/**
 * Throws a ConfigError when a parameter of `head` under `config` is too large to allocate as float32 (vocab_size 1e12
 * gives a word-embedding matrix of 1e12 × embedding_size), naming the parameter, its shape and the config fields.
 */
export function checkParamSizes(config: AlbertConfig, head: HeadName = 'AlbertModel'): void {
  const params = headParams(head, config);
  const untied = untiedDecoderParam(head, config);
  if (untied) params.push(untied);
  for (const p of params) {
    const bytes = numel(p.shape) * 4;
    if (bytes > MAX_PARAM_BYTES) {
      throw new ConfigError(
        `config (vocab_size ${config.vocab_size}, embedding_size ${config.embedding_size}, hidden_size ${config.hidden_size}, intermediate_size ${config.intermediate_size}, max_position_embeddings ${config.max_position_embeddings}) gives parameter ${p.name} the shape [${p.shape.join(', ')}]: ${bytes.toExponential(3)} bytes as float32, more than the ${MAX_PARAM_BYTES} bytes one array can hold`,
      );
    }
  }
}
