// The graph builder and serializer: initializers stored once, constants shared, functions, external data.
import { AlbertConfig } from '@albertjs/core';
import { describe, expect, it } from 'vitest';
import { randomWeights } from '../bench/random-model.js';
import { buildAlbertGraph, decodeModel, GraphBuilder, parameterBytes, serializeModel } from '../src/index.js';
import { initializerName } from '../src/model/context.js';
import { DEFAULT_GRAPH_OPTIONS } from '../src/model/options.js';
import { tinyConfig } from './helpers.js';

describe('GraphBuilder', () => {
  it('stores an initializer once however often it is declared', () => {
    const g = new GraphBuilder('t');
    const a = g.initializer('w', 'float32', [2], Float32Array.of(1, 2));
    const b = g.initializer('w', 'float32', [2], Float32Array.of(1, 2));
    expect(a).toBe(b);
    expect(g.initializers.size).toBe(1);
    expect(() => g.initializer('w', 'float32', [3], Float32Array.of(1, 2, 3))).toThrow(
      /declared twice with shapes \[2\] and \[3\]/,
    );
    expect(() => g.initializer('x', 'float32', [3], Float32Array.of(1, 2))).toThrow(/needs 12 bytes, got 8/);
  });
  it('shares constants by value', () => {
    const g = new GraphBuilder('t');
    expect(g.i64([0, 2, 1, 3])).toBe(g.i64([0, 2, 1, 3]));
    expect(g.f32(0.5)).not.toBe(g.f32(0.25));
  });
  it('serializes a model that decodes back with its nodes, functions and opsets', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['batch', 4]);
    g.defineFunction('Twice', ['a'], (fb) => [fb.op('Add', ['a', 'a'])]);
    const [y] = g.call('Twice', [x], 1);
    g.output('y', y!, 'float32', ['batch', 4]);
    const m = decodeModel(serializeModel(g, { metadata: { k: 'v' } }).model);
    expect(m.graph!.node!.map((n) => n.opType)).toEqual(['Twice', 'Identity']);
    expect(m.functions!.map((f) => f.name)).toEqual(['Twice']);
    expect(m.opsetImport!.map((o) => o.domain)).toEqual(['', 'albertjs']);
    expect(m.metadataProps).toEqual([{ key: 'k', value: 'v' }]);
  });
  it('functions keep constants as Constant nodes and refuse initializers', () => {
    const g = new GraphBuilder('t');
    g.defineFunction('F', ['a'], (fb) => {
      expect(() => fb.initializer('w')).toThrow(/cannot hold initializer w/);
      return [fb.op('Mul', ['a', fb.f32(2)])];
    });
    expect(g.functions[0]!.node!.map((n) => n.opType)).toEqual(['Constant', 'Mul']);
    expect(g.initializers.size).toBe(0);
  });
  it('moves large initializers to an aligned external data file', () => {
    const g = new GraphBuilder('t');
    g.initializer('big', 'float32', [1000], new Float32Array(1000).fill(1));
    g.initializer('small', 'float32', [2], Float32Array.of(1, 2));
    const s = serializeModel(g, { externalData: 'm.onnx.data' });
    const m = decodeModel(s.model);
    const big = m.graph!.initializer!.find((t) => t.name === 'big')!;
    expect(big.dataLocation).toBe(1);
    expect(big.externalData!.map((e) => [e.key, e.value])).toEqual([
      ['location', 'm.onnx.data'],
      ['offset', '0'],
      ['length', '4000'],
    ]);
    expect(m.graph!.initializer!.find((t) => t.name === 'small')!.rawData!.length).toBe(8);
    expect(s.externalData!.byteLength).toBe(4000);
  });
});

describe('ALBERT graphs', () => {
  it('names shared-layer weights compactly and keeps other checkpoint names', () => {
    expect(initializerName('albert.encoder.albert_layer_groups.2.albert_layers.1.attention.query.weight.T')).toBe(
      'L2.1.q.w.T',
    );
    expect(initializerName('encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.bias')).toBe(
      'L0.0.ln2.b',
    );
    expect(initializerName('albert.embeddings.word_embeddings.weight')).toBe(
      'albert.embeddings.word_embeddings.weight',
    );
  });
  it('stores every parameter exactly once: initializer bytes = parameter bytes', () => {
    const config = tinyConfig();
    const flavours = [
      { ...DEFAULT_GRAPH_OPTIONS },
      ...(['MultiHeadAttention', 'Attention', 'unfused'] as const).map((attentionOp) => ({
        ...DEFAULT_GRAPH_OPTIONS,
        flavour: 'optimized' as const,
        attentionOp,
      })),
      { ...DEFAULT_GRAPH_OPTIONS, flavour: 'optimized' as const, packedQkv: true },
    ];
    for (const head of ['AlbertModel', 'AlbertForMaskedLM', 'AlbertForQuestionAnswering'] as const) {
      for (const opts of flavours) {
        const { builder } = buildAlbertGraph(head, config, randomWeights(head, config), opts);
        const weightsOnly = [...builder.initializers.values()]
          .filter((t) => !t.name.startsWith('_'))
          .reduce((n, t) => n + t.bytes.byteLength, 0);
        expect(weightsOnly, `${head} ${JSON.stringify(opts)}`).toBe(parameterBytes(head, config));
      }
      const { builder } = buildAlbertGraph(head, config, randomWeights(head, config), { ...DEFAULT_GRAPH_OPTIONS });
      // one function body for the shared layer, one call per layer application
      expect(builder.functions.length).toBe(1);
      expect(builder.nodes.filter((n) => n.opType === 'AlbertLayer').length).toBe(
        config.num_hidden_layers * config.inner_group_num,
      );
    }
  });
  it('albert-base-v2 (47 MB of parameters) serializes to its parameter size, in both flavours', () => {
    const config = AlbertConfig.fromPreset('albert-base-v2');
    const weights = randomWeights('AlbertModel', config);
    const params = parameterBytes('AlbertModel', config);
    expect(params).toBeGreaterThan(46e6);
    for (const flavour of ['standard', 'optimized'] as const) {
      const { builder } = buildAlbertGraph('AlbertModel', config, weights, { ...DEFAULT_GRAPH_OPTIONS, flavour });
      const bytes = serializeModel(builder).model.byteLength;
      expect(bytes / params, flavour).toBeLessThan(1.001);
    }
  });
});
