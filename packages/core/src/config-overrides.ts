// `from_pretrained(dir, num_labels=3, id2label=…, problem_type=…)`: config fields given at load time replace the
// checkpoint's, as transformers' PretrainedConfig.from_pretrained(**kwargs) applies them; the result is validated.
// https://github.com/huggingface/transformers/blob/v4.57.1/src/transformers/configuration_utils.py (PretrainedConfig.__init__: num_labels / id2label)
import { AlbertConfig, type AlbertConfigFields } from './config.js';
import { ConfigError } from './errors.js';

/** Config fields to replace at load time; `num_labels` as transformers accepts it. */
export type ConfigOverrides = Partial<AlbertConfigFields> & { num_labels?: number };

/** Fields a fine-tuning run may change without changing the shape of any pretrained weight. */
const OVERRIDABLE = new Set<string>([
  'num_labels',
  'id2label',
  'label2id',
  'problem_type',
  'hidden_dropout_prob',
  'attention_probs_dropout_prob',
  'classifier_dropout_prob',
  'initializer_range',
  'layer_norm_eps',
  'hidden_act',
  'output_hidden_states',
  'output_attentions',
  'architectures',
  'pad_token_id',
  'bos_token_id',
  'eos_token_id',
  'vocab_size',
  'max_position_embeddings',
  'type_vocab_size',
  'tie_word_embeddings',
]);

function fail(msg: string): never {
  throw new ConfigError(msg);
}

/** id2label keys must be 0..n-1 and label2id its exact inverse. */
export function checkLabelMaps(config: AlbertConfig): void {
  const ids = Object.keys(config.id2label)
    .map(Number)
    .sort((a, b) => a - b);
  ids.forEach((id, i) => {
    if (id !== i)
      fail(`config.id2label = ${JSON.stringify(config.id2label)}: ids must be 0..${ids.length - 1}, found ${id}`);
  });
  const labels = Object.values(config.id2label);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined)
    fail(`config.id2label = ${JSON.stringify(config.id2label)}: label ${JSON.stringify(dup)} appears twice`);
  const inverse = Object.entries(config.label2id);
  const bad = inverse.find(([l, i]) => config.id2label[String(i)] !== l);
  if (bad || inverse.length !== labels.length)
    fail(
      `config.label2id = ${JSON.stringify(config.label2id)} is not the inverse of config.id2label = ${JSON.stringify(config.id2label)}${bad ? ` (${JSON.stringify(bad[0])} → ${bad[1]})` : ''}`,
    );
}

/**
 * A new config: `config` with `overrides` applied and validated (ConfigError naming the field and value).
 * `num_labels` alone resets the labels to LABEL_0…; `id2label` alone derives `label2id`; both must agree.
 */
export function applyConfigOverrides(config: AlbertConfig, overrides: ConfigOverrides = {}): AlbertConfig {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    fail(`config overrides must be an object, got ${JSON.stringify(overrides)}`);
  const unknown = Object.keys(overrides).filter((k) => !OVERRIDABLE.has(k));
  if (unknown.length)
    fail(
      `config override ${unknown.map((k) => JSON.stringify(k)).join(', ')} is not a field that can change at load time; allowed: ${[...OVERRIDABLE].join(', ')}`,
    );
  const base = config.toJSON() as Record<string, unknown>;
  const o = { ...overrides } as Record<string, unknown>;
  if ('num_labels' in o && o.num_labels !== undefined) {
    const n = o.num_labels;
    if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0)
      fail(`config.num_labels = ${JSON.stringify(n)}: expected a positive integer`);
    if (o.id2label && Object.keys(o.id2label as object).length !== n)
      fail(
        `config.num_labels = ${n} but config.id2label = ${JSON.stringify(o.id2label)} has ${Object.keys(o.id2label as object).length} labels`,
      );
    if (!o.id2label && Object.keys(config.id2label).length !== n) {
      delete base.id2label;
      delete base.label2id;
    }
  }
  if (o.id2label && !o.label2id) delete base.label2id;
  if (o.label2id && !o.id2label)
    o.id2label = Object.fromEntries(
      Object.entries(o.label2id as Record<string, number>).map(([l, i]) => [String(i), l]),
    );
  const out = new AlbertConfig({ ...base, ...o } as ConstructorParameters<typeof AlbertConfig>[0]);
  checkLabelMaps(out);
  if (out.problem_type === 'single_label_classification' && out.num_labels < 2)
    fail(`config.problem_type = "single_label_classification" needs num_labels >= 2, got ${out.num_labels}`);
  return out;
}
