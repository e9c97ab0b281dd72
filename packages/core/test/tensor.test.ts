// Tensor.tolist() and Tensor.dims against transformers.js' Tensor on the same data (the API they mirror).
import { Tensor as HFTensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { f32ToF16, Tensor } from '../src/tensor.js';

describe('Tensor.tolist() and dims, as transformers.js', () => {
  const cases: [string, Tensor][] = [
    ['float32 [2, 3]', Tensor.f32([1.5, -2, 3, 4, 5.25, 6], [2, 3])],
    ['float32 [2, 1, 2]', Tensor.f32([1, 2, 3, 4], [2, 1, 2])],
    ['int64 [1, 4] (bigint kept)', Tensor.i64([2, 14, 1, 3], [1, 4])],
    ['int32 [3]', new Tensor('int32', Int32Array.from([7, -8, 9]), [3])],
    ['bool [2, 2]', new Tensor('bool', Uint8Array.from([1, 0, 0, 1]), [2, 2])],
    ['float32 0-d', Tensor.f32([42], [])],
    ['float32 [0, 3]', Tensor.f32([], [0, 3])],
  ];
  it.each(cases)('%s', (_name, t) => {
    const hf = new HFTensor(t.dtype as 'float32', t.data, [...t.shape]);
    expect(t.tolist()).toEqual(hf.tolist());
    expect(t.dims).toEqual(hf.dims);
    expect(t.dims).toBe(t.shape);
  });

  it('float16 bits are decoded to numbers (transformers.js holds them decoded already)', () => {
    const values = [0.5, -1, 2.5, 65504];
    const t = new Tensor('float16', Uint16Array.from(values, f32ToF16), [2, 2]);
    expect(t.tolist()).toEqual([
      [0.5, -1],
      [2.5, 65504],
    ]);
    expect(new Tensor('bfloat16', Uint16Array.from([0x3f80, 0xc000]), [2]).tolist()).toEqual([1, -2]);
  });
});
