import { CheckpointError, MAX_HEADER_BYTES, parseSafetensors, serializeSafetensors, Tensor } from '@albertjs/core';
import { describe, expect, it } from 'vitest';

const enc = (s: string) => new TextEncoder().encode(s);

/** A safetensors file from a literal header and data bytes. */
function file(header: unknown, data: Uint8Array = new Uint8Array(0), declaredLen?: bigint): Uint8Array {
  const h = enc(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLen ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors round trip', () => {
  it('writes every dtype and reads it back bit for bit, with metadata and 8-byte alignment', () => {
    const tensors = new Map<string, Tensor>([
      ['f32', Tensor.f32([1.5, -2, 3.25], [3])],
      ['i64', Tensor.i64([1, -2], [2, 1])],
      ['f16', new Tensor('float16', Uint16Array.from([0x3c00, 0xc000]), [2])],
      ['bf16', new Tensor('bfloat16', Uint16Array.from([0x3f80]), [1])],
      ['u8', new Tensor('uint8', Uint8Array.from([1, 2, 3]), [3])],
      ['f64', new Tensor('float64', Float64Array.from([Math.PI]), [1])],
    ]);
    const bytes = serializeSafetensors(tensors, { format: 'pt', note: 'x' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const { tensors: back, metadata } = parseSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'x' });
    for (const [k, t] of tensors) {
      expect(back.get(k)!.dtype).toBe(t.dtype);
      expect(back.get(k)!.shape).toEqual(t.shape);
      expect(back.get(k)!.data).toEqual(t.data);
    }
  });
});

describe('malformed safetensors give a CheckpointError naming file, tensor and value', () => {
  const t = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const data8 = new Uint8Array(8);
  it.each([
    ['fewer than 8 bytes', new Uint8Array(5), /bad\.st: truncated file \(5 bytes/],
    [
      'oversized header',
      file({}, new Uint8Array(0), BigInt(MAX_HEADER_BYTES) + 1n),
      /header length 100000001 exceeds the 100000000-byte limit/,
    ],
    [
      'header longer than the file',
      file({ a: t }, data8).subarray(0, 20),
      /truncated file: header says \d+ bytes but only 12 follow/,
    ],
    [
      'header not JSON',
      (() => {
        const f = file({ a: t }, data8);
        f[8] = 0x7b;
        f[9] = 0x7b;
        return f;
      })(),
      /header is not valid UTF-8 JSON/,
    ],
    ['header is an array', file([1, 2]), /header must be a JSON object/],
    [
      'unknown dtype',
      file({ a: { ...t, dtype: 'F8_E4M3' } }, data8),
      /tensor a has unknown dtype "F8_E4M3"; supported: F64, F32/,
    ],
    ['bad shape', file({ a: { ...t, shape: [-2] } }, data8), /tensor a has an invalid shape \[-2\]/],
    ['offsets not a pair', file({ a: { ...t, data_offsets: [0] } }, data8), /tensor a has invalid data_offsets \[0\]/],
    [
      'offsets disagree with shape',
      file({ a: { ...t, data_offsets: [0, 4] } }, data8),
      /tensor a \(F32 \[2\]\) needs 8 bytes but data_offsets \[0, 4\] span 4/,
    ],
    ['reversed offsets', file({ a: { ...t, data_offsets: [8, 0] } }, data8), /data_offsets \[8, 0\]/],
    [
      'offsets past the end (truncated data)',
      file({ a: t }, new Uint8Array(4)),
      /tensor a data_offsets \[0, 8\] run past the end of the data \(4 bytes\): truncated file\?/,
    ],
    [
      'metadata not strings',
      file({ __metadata__: { format: 1 }, a: t }, data8),
      /__metadata__ must map strings to strings, got \{"format":1\}/,
    ],
    [
      'overlapping tensors',
      file({ a: t, b: { ...t, data_offsets: [4, 12] } }, new Uint8Array(12)),
      /tensors a and b overlap/,
    ],
    [
      'duplicate tensor names (JSON.parse would keep the last)',
      (() => {
        const f = file({ a: t, b: { ...t, data_offsets: [8, 16] } }, new Uint8Array(16));
        // rename "b" to "a" in place: same length, so the header length still holds
        const i = new TextDecoder().decode(f).indexOf('"b"');
        f[i + 1] = 0x61;
        return f;
      })(),
      /header names "a" twice/,
    ],
    [
      'a gap between tensors',
      file({ a: t, b: { ...t, data_offsets: [12, 20] } }, new Uint8Array(20)),
      /4 unused bytes between tensor a \(ends at 8\) and tensor b \(starts at 12\)/,
    ],
    [
      'a gap before the first tensor',
      file({ a: { ...t, data_offsets: [4, 12] } }, new Uint8Array(12)),
      /4 unused bytes between \(start of the data\) \(ends at 0\) and tensor a/,
    ],
    [
      'trailing bytes',
      file({ a: t }, new Uint8Array(9)),
      /1 trailing bytes after the last tensor \(the data section has 9/,
    ],
    ['no tensors but data', file({ __metadata__: { format: 'pt' } }, new Uint8Array(3)), /3 trailing bytes/],
  ])('%s', (_name, bytes, msg) => {
    expect(() => parseSafetensors(bytes, 'bad.st')).toThrow(CheckpointError);
    expect(() => parseSafetensors(bytes, 'bad.st')).toThrow(msg);
  });
});
