import { AlbertConfig, countParameters } from '@albertjs/core';
import { describe, expect, it } from 'vitest';

describe('countParameters (shared layers counted once)', () => {
  it('matches the published sizes of the official checkpoints', () => {
    // transformers' AlbertModel.num_parameters() for the v2 presets (model cards: 11M, 17M, 58M, 223M)
    expect(countParameters(AlbertConfig.fromPreset('albert-base-v2')).total).toBe(11_683_584);
    expect(countParameters(AlbertConfig.fromPreset('albert-large-v2')).total).toBe(17_683_968);
    expect(countParameters(AlbertConfig.fromPreset('albert-xlarge-v2')).total).toBe(58_724_864);
    expect(countParameters(AlbertConfig.fromPreset('albert-xxlarge-v2')).total).toBe(222_595_584);
  });

  it('splits embeddings / encoder / pooler / head and counts the tied decoder once', () => {
    const c = AlbertConfig.fromPreset('albert-base-v2');
    const base = countParameters(c);
    expect(base.embeddings).toBe(30000 * 128 + 512 * 128 + 2 * 128 + 2 * 128);
    expect(base.pooler).toBe(768 * 768 + 768);
    expect(base.embeddings + base.encoder + base.pooler).toBe(base.total);
    const mlm = countParameters(c, 'AlbertForMaskedLM');
    // no pooler; MLM head: bias [V] + dense [E, H] + [E] + LayerNorm 2E; the decoder weight is the word embeddings
    expect(mlm.head).toBe(30000 + 128 * 768 + 128 + 2 * 128);
    expect(mlm.total).toBe(base.total - base.pooler + mlm.head);
    const untied = countParameters(
      new AlbertConfig({ ...c.toJSON(), tie_word_embeddings: false }),
      'AlbertForMaskedLM',
    );
    expect(untied.total - mlm.total).toBe(30000 * 128);
  });

  it('groups: each group once; unsharedEquivalent counts every layer application', () => {
    const c = new AlbertConfig({
      vocab_size: 100,
      embedding_size: 8,
      hidden_size: 16,
      num_attention_heads: 2,
      intermediate_size: 32,
      num_hidden_layers: 6,
      num_hidden_groups: 3,
      inner_group_num: 2,
    });
    const n = countParameters(c);
    const layer = 4 * (16 * 16 + 16) + 2 * 16 + (32 * 16 + 32) + (16 * 32 + 16) + 2 * 16;
    expect(n.encoder).toBe(16 * 8 + 16 + 3 * 2 * layer);
    expect(n.unsharedEquivalent - n.total).toBe(3 * 2 * layer * (6 / 3 - 1));
  });
});
