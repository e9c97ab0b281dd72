import { CheckpointError, flaxToTorchName, parseFlaxMsgpack, serializeFlaxMsgpack } from '@albertjs/core';
import { ExtData, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';

/** flax.serialization's ndarray extension: ExtType(1, packb((shape, dtype.name, arr.tobytes()))). */
const nd = (shape: number[], dtype: string, data: ArrayBufferView) =>
  new ExtData(1, encode([shape, dtype, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));

describe('flax_model.msgpack', () => {
  // A tree laid out as transformers' FlaxAlbertForMaskedLM names it (modeling_flax_albert.py).
  const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]); // flax Dense kernel [in=2, out=3]
  const tree = {
    albert: {
      embeddings: {
        word_embeddings: { embedding: nd([2, 2], 'float32', Float32Array.from([1, 2, 3, 4])) },
        LayerNorm: {
          scale: nd([2], 'float32', Float32Array.from([1, 1])),
          bias: nd([2], 'float32', Float32Array.from([0, 0.5])),
        },
      },
      encoder: {
        albert_layer_groups: {
          0: {
            albert_layers: {
              0: {
                ffn: { kernel: nd([2, 3], 'float32', kernel), bias: nd([3], 'float32', Float32Array.from([7, 8, 9])) },
              },
            },
          },
        },
      },
    },
    predictions: { bias: nd([2], 'bfloat16', Uint16Array.from([0x3f80, 0x4000])) },
  };

  it('maps flax names to PyTorch names and transposes Dense kernels', () => {
    const t = parseFlaxMsgpack(encode(tree));
    expect([...t.keys()].sort()).toEqual([
      'albert.embeddings.LayerNorm.bias',
      'albert.embeddings.LayerNorm.weight',
      'albert.embeddings.word_embeddings.weight',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias',
      'albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight',
      'predictions.bias',
    ]);
    const ffn = t.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight')!;
    expect(ffn.shape).toEqual([3, 2]); // torch Linear weight [out, in]
    expect([...(ffn.data as Float32Array)]).toEqual([1, 4, 2, 5, 3, 6]);
    expect(t.get('albert.embeddings.word_embeddings.weight')!.shape).toEqual([2, 2]);
    expect(t.get('predictions.bias')!.dtype).toBe('bfloat16');
  });

  it('reads arrays flax stored in chunks (__msgpack_chunked_array__)', () => {
    const chunked = {
      w: {
        kernel: {
          __msgpack_chunked_array__: true,
          shape: { 0: 2, 1: 2 },
          chunks: {
            0: nd([3], 'float32', Float32Array.from([1, 2, 3])),
            1: nd([1], 'float32', Float32Array.from([4])),
          },
        },
      },
    };
    const t = parseFlaxMsgpack(encode(chunked)).get('w.weight')!;
    expect([...(t.data as Float32Array)]).toEqual([1, 3, 2, 4]);
  });

  it('writes what it reads (serializeFlaxMsgpack)', () => {
    const src = parseFlaxMsgpack(encode(tree));
    const back = parseFlaxMsgpack(serializeFlaxMsgpack(src));
    for (const [k, v] of src) expect([k, back.get(k)!.data]).toEqual([k, v.data]);
  });

  it('malformed files are CheckpointErrors naming the array', () => {
    expect(() => parseFlaxMsgpack(encode(tree).subarray(0, 50), 'f.msgpack')).toThrow(
      /f\.msgpack: not a valid msgpack file \(truncated or corrupt/,
    );
    expect(() =>
      parseFlaxMsgpack(encode({ a: { kernel: nd([2], 'complex64', new Float32Array(4)) } }), 'f.msgpack'),
    ).toThrow(/array a\/kernel has unsupported dtype "complex64"/);
    expect(() => parseFlaxMsgpack(encode({ a: { bias: nd([3], 'float32', new Float32Array(2)) } }))).toThrow(
      /array a\/bias \(float32 \[3\]\) needs 12 bytes, found 8/,
    );
    expect(() => parseFlaxMsgpack(encode({ a: 5 }))).toThrow(/a holds number, not an array or a subtree/);
    let deep: Record<string, unknown> = { w: { bias: nd([1], 'float32', new Float32Array(1)) } };
    for (let i = 0; i < 100; i++) deep = { x: deep };
    expect(() => parseFlaxMsgpack(encode(deep, { maxDepth: 1000 }))).toThrow(
      /parameter tree nested deeper than 64 levels/,
    );
    expect(() => parseFlaxMsgpack(encode({}))).toThrow(CheckpointError);
    expect(() => parseFlaxMsgpack(encode({ a: { kernel: nd([2, 2, 2], 'float32', new Float32Array(8)) } }))).toThrow(
      /kernel a\/kernel has shape \[2, 2, 2\]/,
    );
  });

  it('name mapping follows load_flax_weights_in_pytorch_model', () => {
    expect(flaxToTorchName('albert/pooler/kernel')).toEqual({ name: 'albert.pooler.weight', transpose: true });
    expect(flaxToTorchName('albert/embeddings/position_embeddings/embedding')).toEqual({
      name: 'albert.embeddings.position_embeddings.weight',
      transpose: false,
    });
    expect(flaxToTorchName('predictions/LayerNorm/scale')).toEqual({
      name: 'predictions.LayerNorm.weight',
      transpose: false,
    });
    expect(flaxToTorchName('qa_outputs/bias')).toEqual({ name: 'qa_outputs.bias', transpose: false });
  });
});
