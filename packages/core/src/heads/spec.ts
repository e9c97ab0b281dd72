// Parameter names and shapes of every ALBERT model class, exactly as transformers names them.
// https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/modeling_albert.py#L337-L370 (AlbertModel.__init__: the modules and their names)
import type { AlbertConfig } from '../config.js';
import type { HeadName } from './names.js';
import { HEADS, type LinearSpec } from './table.js';

export interface ParamSpec {
  name: string;
  shape: number[];
}

/** Whether the base model inside a head has the pooler (add_pooling_layer): HEADS[head].pooler. */
export function headHasPooler(head: HeadName): boolean {
  return HEADS[head].pooler;
}

/** Parameters of AlbertModel (no `albert.` prefix). Shared layers appear once per group / inner layer. */
export function baseModelParams(c: AlbertConfig, withPooler = true): ParamSpec[] {
  const E = c.embedding_size;
  const H = c.hidden_size;
  const I = c.intermediate_size;
  const p: ParamSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocab_size, E] },
    { name: 'embeddings.position_embeddings.weight', shape: [c.max_position_embeddings, E] },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.type_vocab_size, E] },
    { name: 'embeddings.LayerNorm.weight', shape: [E] },
    { name: 'embeddings.LayerNorm.bias', shape: [E] },
    { name: 'encoder.embedding_hidden_mapping_in.weight', shape: [H, E] },
    { name: 'encoder.embedding_hidden_mapping_in.bias', shape: [H] },
  ];
  for (let g = 0; g < c.num_hidden_groups; g++) {
    for (let i = 0; i < c.inner_group_num; i++) {
      const l = layerPrefix(g, i);
      for (const m of ['query', 'key', 'value', 'dense']) {
        p.push({ name: `${l}.attention.${m}.weight`, shape: [H, H] }, { name: `${l}.attention.${m}.bias`, shape: [H] });
      }
      p.push(
        { name: `${l}.attention.LayerNorm.weight`, shape: [H] },
        { name: `${l}.attention.LayerNorm.bias`, shape: [H] },
        { name: `${l}.ffn.weight`, shape: [I, H] },
        { name: `${l}.ffn.bias`, shape: [I] },
        { name: `${l}.ffn_output.weight`, shape: [H, I] },
        { name: `${l}.ffn_output.bias`, shape: [H] },
        { name: `${l}.full_layer_layer_norm.weight`, shape: [H] },
        { name: `${l}.full_layer_layer_norm.bias`, shape: [H] },
      );
    }
  }
  if (withPooler) p.push({ name: 'pooler.weight', shape: [H, H] }, { name: 'pooler.bias', shape: [H] });
  return p;
}

/** Key of inner layer `inner` of group `group` inside the encoder: `albert_layer_groups.G.albert_layers.J`. */
export function innerLayerKey(group: number, inner: number): string {
  return `albert_layer_groups.${group}.albert_layers.${inner}`;
}

/** Key of an inner layer inside the base model: `encoder.albert_layer_groups.G.albert_layers.J`. */
export function layerPrefix(group: number, inner: number): string {
  return `encoder.${innerLayerKey(group, inner)}`;
}

/** `…encoder.albert_layer_groups.G.albert_layers.J.<rest>` → { group, inner, rest }; undefined for other keys. */
export function parseLayerKey(name: string): { group: number; inner: number; rest: string } | undefined {
  const m = /(?:^|\.)encoder\.albert_layer_groups\.(\d+)\.albert_layers\.(\d+)\.(.+)$/.exec(name);
  return m ? { group: Number(m[1]), inner: Number(m[2]), rest: m[3]! } : undefined;
}

/** AlbertMLMHead parameters (prefix `predictions.`); decoder weight/bias are tied and not stored. */
function mlmHeadParams(c: AlbertConfig): ParamSpec[] {
  return [
    { name: 'predictions.bias', shape: [c.vocab_size] },
    { name: 'predictions.dense.weight', shape: [c.embedding_size, c.hidden_size] },
    { name: 'predictions.dense.bias', shape: [c.embedding_size] },
    { name: 'predictions.LayerNorm.weight', shape: [c.embedding_size] },
    { name: 'predictions.LayerNorm.bias', shape: [c.embedding_size] },
  ];
}

/**
 * Every trainable parameter of `head`, with the checkpoint names transformers uses
 * (`albert.`-prefixed for every class but AlbertModel). Tied weights
 * (`predictions.decoder.weight` = word embeddings, `predictions.decoder.bias` = `predictions.bias`)
 * are listed in TIED_KEYS instead.
 */
export function headParams(head: HeadName, c: AlbertConfig): ParamSpec[] {
  const spec = HEADS[head];
  const base = baseModelParams(c, spec.pooler).map((s) => ({ ...s, name: `${spec.basePrefix}${s.name}` }));
  const H = c.hidden_size;
  const linear = (l: LinearSpec | undefined): ParamSpec[] =>
    l
      ? [
          { name: `${l.key}.weight`, shape: [l.out(c), H] },
          { name: `${l.key}.bias`, shape: [l.out(c)] },
        ]
      : [];
  return [...base, ...(spec.mlm ? mlmHeadParams(c) : []), ...linear(spec.onPooled), ...linear(spec.onTokens)];
}

/** Keys that checkpoints may carry but that alias another parameter (target ← source). */
export function tiedKeys(head: HeadName, c: AlbertConfig): Record<string, string> {
  if (!HEADS[head].mlm) return {};
  const tied: Record<string, string> = { 'predictions.decoder.bias': 'predictions.bias' };
  if (c.tie_word_embeddings) tied['predictions.decoder.weight'] = 'albert.embeddings.word_embeddings.weight';
  else return { ...tied };
  return tied;
}

/** Untied checkpoints (tie_word_embeddings: false) store their own decoder weight. */
export function untiedDecoderParam(head: HeadName, c: AlbertConfig): ParamSpec | undefined {
  if (HEADS[head].mlm && !c.tie_word_embeddings) {
    return { name: 'predictions.decoder.weight', shape: [c.vocab_size, c.embedding_size] };
  }
  return undefined;
}
