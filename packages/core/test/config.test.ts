import { readFileSync } from 'node:fs';
import { ALBERT_DEFAULTS, AlbertConfig, ConfigError, PRESET_NAMES, presetKey } from '@albertjs/core';
import { describe, expect, it } from 'vitest';

// transformers 5.17 `AlbertConfig().to_dict()`, copied from parity-tests/fixtures/hf/default_config.json.
const HF_DEFAULT = JSON.parse(readFileSync(new URL('./data/default_config.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

function configError(fields: Record<string, unknown>): ConfigError {
  try {
    new AlbertConfig(fields);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`no error for ${JSON.stringify(fields)}`);
}

describe('AlbertConfig defaults', () => {
  it('every field transformers writes has the same default', () => {
    const c = new AlbertConfig().toJSON();
    for (const [k, v] of Object.entries(HF_DEFAULT)) {
      if (k === 'transformers_version' || k === '_name_or_path') continue;
      expect([k, c[k]]).toEqual([k, v]);
    }
  });
  it('models every field of the HF default config', () => {
    const modeled = new Set(Object.keys(ALBERT_DEFAULTS));
    const unmodeled = Object.keys(HF_DEFAULT).filter((k) => !modeled.has(k));
    expect(unmodeled.sort()).toEqual(['_name_or_path', 'transformers_version']);
    expect(new AlbertConfig().num_labels).toBe(2);
  });
});

describe('AlbertConfig round trip', () => {
  it('keeps unknown keys and values through toJSON / fromJSON', () => {
    const json = {
      ...HF_DEFAULT,
      hidden_size: 64,
      num_attention_heads: 4,
      custom_thing: { nested: [1, 2] },
      task_specific_params: null,
      transformers_version: '5.17.0',
    };
    const c = AlbertConfig.fromJSON(JSON.stringify(json));
    expect(c.extra.custom_thing).toEqual({ nested: [1, 2] });
    const again = AlbertConfig.fromJSON(c.toJSONString()).toJSON();
    expect(again).toEqual(c.toJSON());
    for (const [k, v] of Object.entries(json)) expect([k, again[k]]).toEqual([k, v]);
  });
  it('maps torch_dtype (transformers 4.x) to dtype and num_labels to id2label', () => {
    const c = new AlbertConfig({ torch_dtype: 'float16', num_labels: 3 });
    expect(c.dtype).toBe('float16');
    expect(c.id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2' });
    expect(c.label2id).toEqual({ LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 });
    const d = new AlbertConfig({ id2label: { 0: 'neg', 1: 'pos' } });
    expect(d.label2id).toEqual({ neg: 0, pos: 1 });
  });
});

describe('AlbertConfig validation names the field and the value', () => {
  it.each([
    [
      { hidden_size: 100, num_attention_heads: 12 },
      /config\.hidden_size = 100 is not a multiple of config\.num_attention_heads = 12/,
    ],
    [
      { num_hidden_layers: 12, num_hidden_groups: 5 },
      /config\.num_hidden_layers = 12 is not divisible by config\.num_hidden_groups = 5/,
    ],
    [{ hidden_act: 'swishy' }, /config\.hidden_act = "swishy": unknown activation; expected one of .*gelu_new/],
    [{ hidden_size: -768 }, /config\.hidden_size = -768: must be a positive integer/],
    [{ vocab_size: 0 }, /config\.vocab_size = 0: must be a positive integer/],
    [{ hidden_size: '768' }, /config\.hidden_size = "768": expected a positive integer, got string/],
    [{ num_hidden_layers: 12.5 }, /config\.num_hidden_layers = 12\.5: expected a positive integer/],
    [{ layer_norm_eps: -1e-12 }, /config\.layer_norm_eps = -1e-12: must be > 0/],
    [{ hidden_dropout_prob: 1.5 }, /config\.hidden_dropout_prob = 1\.5: must be a probability in \[0, 1\)/],
    [{ tie_word_embeddings: 'yes' }, /config\.tie_word_embeddings = "yes": expected a boolean, got string/],
    [{ id2label: ['a', 'b'] }, /config\.id2label = \["a","b"\]: expected an object/],
    [{ id2label: { x: 'a' } }, /config\.id2label = \{"x":"a"\}: key "x" is not a non-negative integer/],
    [{ architectures: 'AlbertModel' }, /config\.architectures = "AlbertModel": expected an array of strings or null/],
    [{ problem_type: 'ranking' }, /config\.problem_type = "ranking": expected null or one of regression/],
    [{ model_type: 'bert' }, /config\.model_type = "bert": this is not an ALBERT config/],
    [
      { position_embedding_type: 'relative_key' },
      /config\.position_embedding_type = "relative_key": ALBERT supports only "absolute"/,
    ],
    [{ pad_token_id: 30000 }, /config\.pad_token_id = 30000: must lie in \[0, vocab_size = 30000\)/],
    [{ num_labels: 0 }, /config\.num_labels = 0: expected a positive integer/],
    [
      { classifier_dropout_prob: 'x' },
      /config\.classifier_dropout_prob = "x": expected a number in \[0, 1\) or null, got string/,
    ],
  ])('%j', (fields, msg) => {
    expect(configError(fields).message).toMatch(msg);
  });

  it('bad JSON and non-object JSON name the file', () => {
    expect(() => AlbertConfig.fromJSON('{"hidden_size": 7', 'm/config.json')).toThrow(
      /m\/config\.json is not valid JSON/,
    );
    expect(() => AlbertConfig.fromJSON('[1, 2]', 'm/config.json')).toThrow(
      /m\/config\.json must hold a JSON object, got an array/,
    );
    expect(() => AlbertConfig.fromJSON('{"num_attention_heads": null}')).toThrow(/config\.num_attention_heads = null/);
  });
});

describe('presets', () => {
  it('has the eight official checkpoints', () => {
    expect([...PRESET_NAMES].sort()).toEqual(
      ['base', 'large', 'xlarge', 'xxlarge'].flatMap((s) => [`albert/albert-${s}-v1`, `albert/albert-${s}-v2`]).sort(),
    );
  });
  it('accepts albert-base-v2 and albert/albert-base-v2 alike', () => {
    expect(presetKey('albert-base-v2')).toBe('albert/albert-base-v2');
    expect(AlbertConfig.fromPreset('albert-base-v2').toJSON()).toEqual(
      AlbertConfig.fromPreset('albert/albert-base-v2').toJSON(),
    );
    const c = AlbertConfig.fromPreset('albert-xxlarge-v2', { num_labels: 3 });
    expect([c.hidden_size, c.num_attention_heads, c.intermediate_size, c.num_labels]).toEqual([4096, 64, 16384, 3]);
    expect(AlbertConfig.fromPreset('albert-base-v1').hidden_act).toBe('gelu');
  });
  it('unknown presets list the known ones', () => {
    expect(() => AlbertConfig.fromPreset('albert-huge-v3')).toThrow(
      /unknown preset "albert-huge-v3"; known: albert\/albert-base-v1/,
    );
  });
});
