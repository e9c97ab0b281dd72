// AlbertConfig: transformers' configuration_albert.py plus the generic PretrainedConfig fields
// ALBERT checkpoints carry. https://github.com/huggingface/transformers/blob/v5.17.0/src/transformers/models/albert/configuration_albert.py#L25-L78
import { HIDDEN_ACTS, type HiddenAct } from './activations.js';
import { ConfigError } from './errors.js';
import PRESETS from './presets.json' with { type: 'json' };

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';
export const PROBLEM_TYPES: readonly ProblemType[] = [
  'regression',
  'single_label_classification',
  'multi_label_classification',
];

/** The architecture fields, snake_case as in config.json. */
export interface AlbertConfigFields {
  vocab_size: number;
  embedding_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_hidden_groups: number;
  num_attention_heads: number;
  intermediate_size: number;
  inner_group_num: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  classifier_dropout_prob: number | null;
  position_embedding_type: 'absolute';
  pad_token_id: number | null;
  bos_token_id: number | null;
  eos_token_id: number | null;
  tie_word_embeddings: boolean;
  // generic PretrainedConfig fields
  id2label: Record<string, string>;
  label2id: Record<string, number>;
  problem_type: ProblemType | null;
  architectures: string[] | null;
  dtype: string | null;
  output_hidden_states: boolean;
  output_attentions: boolean;
  return_dict: boolean;
  chunk_size_feed_forward: number;
  is_encoder_decoder: boolean;
  model_type: 'albert';
}

/** Defaults identical to transformers 5.17's `AlbertConfig()` (fixtures/hf/default_config.json). */
export const ALBERT_DEFAULTS: Readonly<AlbertConfigFields> = Object.freeze({
  vocab_size: 30000,
  embedding_size: 128,
  hidden_size: 4096,
  num_hidden_layers: 12,
  num_hidden_groups: 1,
  num_attention_heads: 64,
  intermediate_size: 16384,
  inner_group_num: 1,
  hidden_act: 'gelu_new',
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  classifier_dropout_prob: 0.1,
  position_embedding_type: 'absolute',
  pad_token_id: 0,
  bos_token_id: 2,
  eos_token_id: 3,
  tie_word_embeddings: true,
  id2label: { '0': 'LABEL_0', '1': 'LABEL_1' },
  label2id: { LABEL_0: 0, LABEL_1: 1 },
  problem_type: null,
  architectures: null,
  dtype: null,
  output_hidden_states: false,
  output_attentions: false,
  return_dict: true,
  chunk_size_feed_forward: 0,
  is_encoder_decoder: false,
  model_type: 'albert',
});

type Kind =
  | 'int'
  | 'posint'
  | 'nonneg'
  | 'prob'
  | 'posnum'
  | 'bool'
  | 'int?'
  | 'prob?'
  | 'str?'
  | 'act'
  | 'labels'
  | 'strarr?'
  | 'ptype';
const FIELD_KINDS: Record<keyof AlbertConfigFields, Kind> = {
  vocab_size: 'posint',
  embedding_size: 'posint',
  hidden_size: 'posint',
  num_hidden_layers: 'posint',
  num_hidden_groups: 'posint',
  num_attention_heads: 'posint',
  intermediate_size: 'posint',
  inner_group_num: 'posint',
  hidden_act: 'act',
  hidden_dropout_prob: 'prob',
  attention_probs_dropout_prob: 'prob',
  max_position_embeddings: 'posint',
  type_vocab_size: 'posint',
  initializer_range: 'nonneg',
  layer_norm_eps: 'posnum',
  classifier_dropout_prob: 'prob?',
  position_embedding_type: 'str?',
  pad_token_id: 'int?',
  bos_token_id: 'int?',
  eos_token_id: 'int?',
  tie_word_embeddings: 'bool',
  id2label: 'labels',
  label2id: 'labels',
  problem_type: 'ptype',
  architectures: 'strarr?',
  dtype: 'str?',
  output_hidden_states: 'bool',
  output_attentions: 'bool',
  return_dict: 'bool',
  chunk_size_feed_forward: 'int',
  is_encoder_decoder: 'bool',
  model_type: 'str?',
};

/** A config value for a message: numbers JSON cannot write (1e400 parses as Infinity) as themselves, long values clipped. */
export function showValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v))
    return Number.isNaN(v) ? 'NaN' : `${v} (the number does not fit a double)`;
  const s = JSON.stringify(v) ?? String(v);
  return s.length <= 120 ? s : `${s.slice(0, 120)}… (${s.length} characters)`;
}

function fail(field: string, value: unknown, why: string): never {
  throw new ConfigError(`config.${field} = ${showValue(value)}: ${why}`);
}

/** Most labels `num_labels` may ask for: each becomes an id2label / label2id entry. */
export const MAX_NUM_LABELS = 1_000_000;

/** Deepest nesting of arrays / objects accepted in a config (real ones nest 3 or 4 levels; Python's json gives up near 1000). */
export const MAX_CONFIG_DEPTH = 100;

/** Refuses values nested deeper than MAX_CONFIG_DEPTH, without recursion (cloning or printing them would overflow the stack). */
function checkDepth(obj: Record<string, unknown>, source: string): void {
  const todo: [unknown, number, string][] = [[obj, 1, '']];
  while (todo.length) {
    const [v, depth, path] = todo.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_CONFIG_DEPTH) {
      throw new ConfigError(
        `${source}: ${path || 'the top level'} nests arrays/objects more than ${MAX_CONFIG_DEPTH} levels deep (the limit is ${MAX_CONFIG_DEPTH})`,
      );
    }
    for (const [k, x] of Object.entries(v))
      if (typeof x === 'object' && x !== null) todo.push([x, depth + 1, depth === 1 ? `config.${k}` : path]);
  }
}

function checkField(field: keyof AlbertConfigFields, v: unknown): void {
  const kind = FIELD_KINDS[field];
  const isNum = typeof v === 'number' && Number.isFinite(v);
  switch (kind) {
    case 'int':
      if (!isNum || !Number.isInteger(v)) fail(field, v, 'expected an integer');
      return;
    case 'posint':
      if (!isNum || !Number.isInteger(v)) fail(field, v, `expected a positive integer, got ${typeof v}`);
      if ((v as number) <= 0) fail(field, v, 'must be a positive integer');
      return;
    case 'nonneg':
      if (!isNum) fail(field, v, `expected a number, got ${typeof v}`);
      if ((v as number) < 0) fail(field, v, 'must be >= 0');
      return;
    case 'posnum':
      if (!isNum) fail(field, v, `expected a number, got ${typeof v}`);
      if ((v as number) <= 0) fail(field, v, 'must be > 0');
      return;
    case 'prob':
      if (!isNum) fail(field, v, `expected a number in [0, 1), got ${typeof v}`);
      if ((v as number) < 0 || (v as number) >= 1) fail(field, v, 'must be a probability in [0, 1)');
      return;
    case 'prob?':
      if (v === null) return;
      if (!isNum) fail(field, v, `expected a number in [0, 1) or null, got ${typeof v}`);
      if ((v as number) < 0 || (v as number) >= 1) fail(field, v, 'must be a probability in [0, 1)');
      return;
    case 'int?':
      if (v === null) return;
      if (!isNum || !Number.isInteger(v)) fail(field, v, 'expected an integer or null');
      return;
    case 'bool':
      if (typeof v !== 'boolean') fail(field, v, `expected a boolean, got ${typeof v}`);
      return;
    case 'str?':
      if (v !== null && typeof v !== 'string') fail(field, v, `expected a string, got ${typeof v}`);
      if (field === 'model_type' && v !== 'albert')
        fail(field, v, 'this is not an ALBERT config (model_type must be "albert")');
      if (field === 'position_embedding_type' && v !== 'absolute')
        fail(field, v, 'ALBERT supports only "absolute" position embeddings');
      return;
    case 'act':
      if (typeof v !== 'string') fail(field, v, `expected a string, got ${typeof v}`);
      if (!(HIDDEN_ACTS as readonly string[]).includes(v as string))
        fail(field, v, `unknown activation; expected one of ${HIDDEN_ACTS.join(', ')}`);
      return;
    case 'labels':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, v, 'expected an object');
      return;
    case 'strarr?':
      if (v === null) return;
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
        fail(field, v, 'expected an array of strings or null');
      return;
    case 'ptype':
      if (v !== null && !PROBLEM_TYPES.includes(v as ProblemType))
        fail(field, v, `expected null or one of ${PROBLEM_TYPES.join(', ')}`);
      return;
  }
}

const KNOWN = new Set(Object.keys(FIELD_KINDS));
/** Keys transformers writes that carry no meaning for albertjs but must survive a round trip. */
const ALIASES: Record<string, keyof AlbertConfigFields> = { torch_dtype: 'dtype' };

export class AlbertConfig implements AlbertConfigFields {
  vocab_size!: number;
  embedding_size!: number;
  hidden_size!: number;
  num_hidden_layers!: number;
  num_hidden_groups!: number;
  num_attention_heads!: number;
  intermediate_size!: number;
  inner_group_num!: number;
  hidden_act!: HiddenAct;
  hidden_dropout_prob!: number;
  attention_probs_dropout_prob!: number;
  max_position_embeddings!: number;
  type_vocab_size!: number;
  initializer_range!: number;
  layer_norm_eps!: number;
  classifier_dropout_prob!: number | null;
  position_embedding_type!: 'absolute';
  pad_token_id!: number | null;
  bos_token_id!: number | null;
  eos_token_id!: number | null;
  tie_word_embeddings!: boolean;
  id2label!: Record<string, string>;
  label2id!: Record<string, number>;
  problem_type!: ProblemType | null;
  architectures!: string[] | null;
  dtype!: string | null;
  output_hidden_states!: boolean;
  output_attentions!: boolean;
  return_dict!: boolean;
  chunk_size_feed_forward!: number;
  is_encoder_decoder!: boolean;
  model_type!: 'albert';
  /** Keys of config.json this class does not model; written back unchanged by toJSON(). */
  readonly extra: Record<string, unknown> = {};

  /** `new AlbertConfig({ hidden_size: 768, … })`; also accepts `num_labels` as transformers does. */
  constructor(fields: Partial<AlbertConfigFields> & { num_labels?: number } & Record<string, unknown> = {}) {
    checkDepth(fields, 'config');
    Object.assign(this, structuredClone(ALBERT_DEFAULTS));
    const given = { ...fields } as Record<string, unknown>;
    for (const [alias, key] of Object.entries(ALIASES)) {
      if (alias in given) {
        if (!(key in given)) given[key] = given[alias];
        delete given[alias];
      }
    }
    const numLabels = given.num_labels;
    delete given.num_labels;
    for (const [k, v] of Object.entries(given)) {
      if (KNOWN.has(k)) {
        if (v === undefined) continue;
        checkField(k as keyof AlbertConfigFields, v);
        (this as unknown as Record<string, unknown>)[k] = structuredClone(v);
      } else {
        this.extra[k] = v;
      }
    }
    if ('id2label' in given && !('label2id' in given)) {
      this.label2id = Object.fromEntries(Object.entries(this.id2label).map(([i, l]) => [l, Number(i)]));
    }
    if (numLabels !== undefined) {
      if (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels <= 0)
        fail('num_labels', numLabels, 'expected a positive integer');
      if (numLabels > MAX_NUM_LABELS)
        fail('num_labels', numLabels, `more than ${MAX_NUM_LABELS} labels (id2label would hold one entry each)`);
      if (!('id2label' in given) || Object.keys(this.id2label).length !== numLabels) this.numLabels = numLabels;
    }
    this.validate();
  }

  get num_labels(): number {
    return Object.keys(this.id2label).length;
  }
  get numLabels(): number {
    return this.num_labels;
  }
  set numLabels(n: number) {
    this.id2label = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), `LABEL_${i}`]));
    this.label2id = Object.fromEntries(Array.from({ length: n }, (_, i) => [`LABEL_${i}`, i]));
  }
  get headDim(): number {
    return this.hidden_size / this.num_attention_heads;
  }
  /** Layer i uses group floor(i / (num_hidden_layers / num_hidden_groups)), as AlbertTransformer.forward. */
  groupOfLayer(i: number): number {
    return Math.floor(i / (this.num_hidden_layers / this.num_hidden_groups));
  }

  /** Cross-field rules; throws a ConfigError naming the fields and values. */
  validate(): void {
    for (const k of KNOWN) checkField(k as keyof AlbertConfigFields, (this as unknown as Record<string, unknown>)[k]);
    if (this.hidden_size % this.num_attention_heads !== 0) {
      throw new ConfigError(
        `config.hidden_size = ${this.hidden_size} is not a multiple of config.num_attention_heads = ${this.num_attention_heads}`,
      );
    }
    if (this.num_hidden_layers % this.num_hidden_groups !== 0) {
      throw new ConfigError(
        `config.num_hidden_layers = ${this.num_hidden_layers} is not divisible by config.num_hidden_groups = ${this.num_hidden_groups}`,
      );
    }
    if (this.num_hidden_groups > this.num_hidden_layers) {
      throw new ConfigError(
        `config.num_hidden_groups = ${this.num_hidden_groups} exceeds config.num_hidden_layers = ${this.num_hidden_layers}`,
      );
    }
    for (const [i, l] of Object.entries(this.id2label)) {
      if (!/^\d+$/.test(i)) fail('id2label', this.id2label, `key ${JSON.stringify(i)} is not a non-negative integer`);
      if (typeof l !== 'string') fail('id2label', this.id2label, `label for id ${i} is not a string`);
    }
    for (const [l, i] of Object.entries(this.label2id)) {
      if (typeof i !== 'number' || !Number.isInteger(i))
        fail('label2id', this.label2id, `id for label ${JSON.stringify(l)} is not an integer`);
    }
    if (this.pad_token_id !== null && (this.pad_token_id < 0 || this.pad_token_id >= this.vocab_size)) {
      fail('pad_token_id', this.pad_token_id, `must lie in [0, vocab_size = ${this.vocab_size})`);
    }
  }

  /** Parses config.json text or object. */
  static fromJSON(json: string | Record<string, unknown>, source = 'config.json'): AlbertConfig {
    let obj: unknown = json;
    if (typeof json === 'string') {
      try {
        obj = JSON.parse(json);
      } catch (e) {
        throw new ConfigError(`${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
      }
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw new ConfigError(`${source} must hold a JSON object, got ${Array.isArray(obj) ? 'an array' : typeof obj}`);
    checkDepth(obj as Record<string, unknown>, source);
    try {
      return new AlbertConfig(obj as Record<string, unknown>);
    } catch (e) {
      // the field errors say `config.<field> = <value>`; from a file they also name the file
      if (e instanceof ConfigError && source !== 'config.json')
        throw new ConfigError(`${source}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /** A config.json object: every modeled field plus every unknown key that was read. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of KNOWN) out[k] = structuredClone((this as unknown as Record<string, unknown>)[k]);
    for (const [k, v] of Object.entries(this.extra)) out[k] = structuredClone(v);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  toJSONString(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }

  /** Official checkpoints' configs: `albert-base-v2` or `albert/albert-base-v2`. */
  static fromPreset(name: string, overrides: Partial<AlbertConfigFields> & { num_labels?: number } = {}): AlbertConfig {
    const key = presetKey(name);
    if (!key) throw new ConfigError(`unknown preset ${JSON.stringify(name)}; known: ${PRESET_NAMES.join(', ')}`);
    return new AlbertConfig({ ...(PRESETS as Record<string, Record<string, unknown>>)[key], ...overrides });
  }
}

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

/** `albert-base-v2` → `albert/albert-base-v2` when it names a preset, else undefined. */
export function presetKey(name: string): string | undefined {
  const full = name.includes('/') ? name : `albert/${name}`;
  return full in PRESETS ? full : undefined;
}
