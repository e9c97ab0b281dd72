// Parameter counts for `albert info`: every parameter of a model class, shared ALBERT layers counted once
// (as sum(p.numel() for p in model.parameters()) counts them), tied decoder weights counted once.
import type { AlbertConfig } from './config.js';
import type { HeadName } from './heads/names.js';
import { headParams, untiedDecoderParam } from './heads/spec.js';
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
      if (name.startsWith('encoder.albert_layer_groups.')) layers += n;
    }
  }
  // Each group is applied num_hidden_layers / num_hidden_groups times.
  c.unsharedEquivalent = c.total + layers * (config.num_hidden_layers / config.num_hidden_groups - 1);
  return c;
}
