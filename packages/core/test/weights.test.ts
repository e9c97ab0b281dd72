import {
  AlbertConfig,
  bindWeights,
  CheckpointError,
  f32ToF16,
  type HeadName,
  headParams,
  Tensor,
  untiedDecoderParam,
} from '@albertjs/core';
import { describe, expect, it } from 'vitest';

const config = new AlbertConfig({
  vocab_size: 12,
  embedding_size: 4,
  hidden_size: 8,
  num_attention_heads: 2,
  intermediate_size: 6,
  num_hidden_layers: 2,
  max_position_embeddings: 8,
  num_labels: 3,
});

/** Every parameter of `head` (plus `extra`), each filled with its index so tensors are distinguishable. */
function checkpoint(head: HeadName, c = config, extra: Record<string, Tensor> = {}): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  const params = headParams(head, c);
  const untied = untiedDecoderParam(head, c);
  if (untied) params.push(untied);
  params.forEach((p, i) => {
    const n = p.shape.reduce((a, b) => a * b, 1);
    m.set(p.name, Tensor.f32(new Float32Array(n).fill(i), p.shape));
  });
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
}

describe('bindWeights', () => {
  it('AlbertModel from a head checkpoint: strips albert., reports the head weights unexpected', () => {
    const raw = checkpoint('AlbertForPreTraining');
    const { weights, report } = bindWeights('AlbertModel', config, raw);
    expect(report.missing).toEqual([]);
    expect(report.unexpected.sort()).toEqual([...raw.keys()].filter((k) => !k.startsWith('albert.')).sort());
    expect(weights.get('embeddings.word_embeddings.weight')).toBe(raw.get('albert.embeddings.word_embeddings.weight'));
  });

  it('a head from a base checkpoint: adds albert., the head weights are missing (error unless allowMissing)', () => {
    const raw = checkpoint('AlbertModel');
    expect(() => bindWeights('AlbertForSequenceClassification', config, raw)).toThrow(
      /AlbertForSequenceClassification: 2 weight\(s\) missing from the checkpoint: classifier\.weight, classifier\.bias/,
    );
    const { weights, report } = bindWeights('AlbertForSequenceClassification', config, raw, { allowMissing: true });
    expect(report.missing).toEqual(['classifier.weight', 'classifier.bias']);
    expect(report.unexpected).toEqual([]);
    expect(weights.pp('albert').pp('encoder').has('embedding_hidden_mapping_in.weight')).toBe(true);
  });

  it('ties the decoder weight and bias; accepts checkpoints that store them (.bin) without reporting them', () => {
    const raw = checkpoint('AlbertForMaskedLM', config, {
      'predictions.decoder.weight': Tensor.f32(new Float32Array(12 * 4), [12, 4]),
      'predictions.decoder.bias': Tensor.f32(new Float32Array(12), [12]),
    });
    const { weights, report } = bindWeights('AlbertForMaskedLM', config, raw);
    expect(report).toEqual({ missing: [], unexpected: [], mismatched: [], newlyInitialized: [] });
    expect(weights.get('predictions.decoder.weight')).toBe(weights.get('albert.embeddings.word_embeddings.weight'));
    expect(weights.get('predictions.decoder.bias')).toBe(weights.get('predictions.bias'));
  });

  it('untied checkpoints (tie_word_embeddings: false) need their own decoder weight', () => {
    const untied = new AlbertConfig({ ...config.toJSON(), tie_word_embeddings: false });
    const raw = checkpoint('AlbertForMaskedLM', untied);
    const { weights } = bindWeights('AlbertForMaskedLM', untied, raw);
    expect(weights.get('predictions.decoder.weight')).not.toBe(weights.get('albert.embeddings.word_embeddings.weight'));
    raw.delete('predictions.decoder.weight');
    expect(() => bindWeights('AlbertForMaskedLM', untied, raw)).toThrow(
      /missing from the checkpoint: predictions\.decoder\.weight/,
    );
  });

  it('wrong shapes are reported and thrown, naming both shapes', () => {
    const raw = checkpoint('AlbertForSequenceClassification');
    raw.set('classifier.weight', Tensor.f32(new Float32Array(2 * 8), [2, 8]));
    expect(() => bindWeights('AlbertForSequenceClassification', config, raw)).toThrow(
      /1 weight\(s\) have the wrong shape for this config: classifier\.weight: checkpoint \[2, 8\] vs model \[3, 8\]/,
    );
  });

  it('half precision is widened to float32 by default and kept on request; integer weights are refused', () => {
    const raw = checkpoint('AlbertModel');
    const halfBits = Uint16Array.from({ length: 8 }, (_, i) => f32ToF16(i / 4));
    raw.set('pooler.bias', new Tensor('float16', halfBits, [8]));
    expect([...bindWeights('AlbertModel', config, raw).weights.get('pooler.bias').data]).toEqual([
      0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75,
    ]);
    const kept = bindWeights('AlbertModel', config, raw, { dtype: 'keep' }).weights;
    expect(kept.get('pooler.bias').dtype).toBe('float16');
    expect(kept.f32('pooler.bias').data[1]).toBe(0.25);
    raw.set('pooler.bias', Tensor.i64(new Array(8).fill(1), [8]));
    expect(() => bindWeights('AlbertModel', config, raw)).toThrow(
      /weight pooler\.bias has dtype int64; ALBERT parameters must be floating point/,
    );
  });

  it('WeightMap.get names the full key and the expected shape', () => {
    const { weights } = bindWeights('AlbertModel', config, checkpoint('AlbertModel'));
    const enc = weights.pp('encoder');
    expect(() => enc.get('nope.weight')).toThrow(/weight encoder\.nope\.weight not found/);
    expect(() => enc.get('embedding_hidden_mapping_in.weight', [4, 8])).toThrow(
      /weight encoder\.embedding_hidden_mapping_in\.weight has shape \[8, 4\], expected \[4, 8\]/,
    );
    expect(enc.pp('albert_layer_groups.0.albert_layers.0').keys().sort()).toContain('ffn.weight');
    expect(() => enc.get('missing')).toThrow(CheckpointError);
  });
});
