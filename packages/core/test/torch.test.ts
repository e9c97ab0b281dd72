import { CheckpointError, f32ToF16, parseTorchCheckpoint, parseTorchLegacy, parseTorchZip } from '@albertjs/core';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PickleWriter, stateDictPickle, type TensorEntry } from './helpers/pickle-writer.js';

const f32bytes = (xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);
const enc = (s: string) => new TextEncoder().encode(s);

function torchZip(entries: TensorEntry[], storages: Record<string, Uint8Array>, byteorder = 'little'): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'archive/data.pkl': stateDictPickle(entries),
    'archive/byteorder': enc(byteorder),
    'archive/version': enc('3\n'),
  };
  for (const [k, b] of Object.entries(storages)) files[`archive/data/${k}`] = b;
  return zipSync(files, { level: 0 });
}

/** The legacy stream: magic, protocol, sys_info, state_dict, storage keys, then (numel, bytes) per storage. */
function torchLegacy(entries: TensorEntry[], storages: [string, number, Uint8Array][]): Uint8Array {
  const magic = new PickleWriter().proto(2).long(0x1950a86a20f9469cfc6cn).stop().bytes();
  const proto = new PickleWriter().proto(2).int(1001).stop().bytes();
  const sys = new PickleWriter().proto(2).op('}').mark().str('little_endian').bool(true).op('u').stop().bytes();
  const main = stateDictPickle(entries, true);
  const keys = new PickleWriter().proto(2).op(']').mark();
  for (const [k] of storages) keys.str(k);
  const keysB = keys.op('e').stop().bytes();
  const parts: Uint8Array[] = [magic, proto, sys, main, keysB];
  for (const [, n, b] of storages) {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigInt64(0, BigInt(n), true);
    parts.push(len, b);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const entries: TensorEntry[] = [
  // storage 0 holds [[0, 1, 2], [3, 4, 5]]; `t` is its transpose (strides [1, 3]), `tail` starts at offset 2
  { name: 't', type: 'FloatStorage', key: '0', numel: 6, offset: 0, size: [3, 2], stride: [1, 3] },
  { name: 'tail', type: 'FloatStorage', key: '0', numel: 6, offset: 2, size: [2, 2], stride: [2, 1] },
  { name: 'word_embeddings', type: 'FloatStorage', key: '0', numel: 6, offset: 0, size: [2, 3], stride: [3, 1] },
  { name: 'decoder', type: 'FloatStorage', key: '0', numel: 6, offset: 0, size: [2, 3], stride: [3, 1] },
  { name: 'half', type: 'HalfStorage', key: '1', numel: 2, offset: 0, size: [2], stride: [1] },
  { name: 'ids', type: 'LongStorage', key: '2', numel: 2, offset: 1, size: [1], stride: [1] },
];
const halfBits = Uint16Array.from([f32ToF16(1.5), f32ToF16(-0.25)]);
const storages: Record<string, Uint8Array> = {
  '0': f32bytes([0, 1, 2, 3, 4, 5]),
  '1': new Uint8Array(halfBits.buffer),
  '2': new Uint8Array(BigInt64Array.from([7n, 9n]).buffer),
};

function checkTensors(m: Map<string, { data: ArrayLike<unknown>; shape: readonly number[]; dtype: string }>) {
  expect([...(m.get('t')!.data as Float32Array)]).toEqual([0, 3, 1, 4, 2, 5]);
  expect(m.get('t')!.shape).toEqual([3, 2]);
  expect([...(m.get('tail')!.data as Float32Array)]).toEqual([2, 3, 4, 5]);
  expect(m.get('decoder')).toBe(m.get('word_embeddings'));
  expect(m.get('half')!.dtype).toBe('float16');
  expect([...(m.get('half')!.data as Uint16Array)]).toEqual([...halfBits]);
  expect(m.get('ids')!.data).toEqual(BigInt64Array.from([9n]));
}

describe('pytorch_model.bin zip format', () => {
  it('rebuilds strided views, storage offsets, shared storages and dtypes', () => {
    checkTensors(parseTorchCheckpoint(torchZip(entries, storages)));
  });

  it('reads big-endian archives', () => {
    const swapped = Object.fromEntries(
      Object.entries(storages).map(([k, b]) => {
        const el = k === '0' ? 4 : k === '1' ? 2 : 8;
        const c = b.slice();
        for (let i = 0; i < c.length; i += el) c.subarray(i, i + el).reverse();
        return [k, c];
      }),
    );
    checkTensors(parseTorchZip(torchZip(entries, swapped, 'big')));
  });

  it('a truncated zip is a CheckpointError naming the file', () => {
    const z = torchZip(entries, storages);
    expect(() => parseTorchCheckpoint(z.subarray(0, z.length - 30), 'model.bin')).toThrow(
      /model\.bin: not a readable zip archive \(truncated or corrupt/,
    );
  });

  it('missing or short storages and out-of-range views are errors', () => {
    expect(() => parseTorchZip(torchZip(entries, { '0': storages['0']!, '1': storages['1']! }))).toThrow(
      /storage 2 \(archive\/data\/2\) is missing/,
    );
    expect(() => parseTorchZip(torchZip(entries, { ...storages, '0': f32bytes([0, 1, 2]) }))).toThrow(
      /storage 0 holds 12 bytes, expected 6 × 4 \(float32\)/,
    );
    const bad = [{ name: 'oob', type: 'FloatStorage', key: '0', numel: 6, offset: 4, size: [2, 2], stride: [2, 1] }];
    expect(() => parseTorchZip(torchZip(bad, storages))).toThrow(
      /tensor oob \(size \[2, 2\], stride \[2, 1\], offset 4\) reaches element 7 of storage 0 which holds 6/,
    );
  });

  it('an expanded (zero-stride) view claiming an enormous tensor is refused before allocating', () => {
    const bad = [
      { name: 'huge', type: 'FloatStorage', key: '0', numel: 6, offset: 0, size: [100000, 100000], stride: [0, 0] },
    ];
    expect(() => parseTorchZip(torchZip(bad, storages))).toThrow(
      /tensor huge of size \[100000, 100000\] would take 40000000000 bytes/,
    );
  });

  it('storage types outside the allow-list are refused', () => {
    const bad = [{ name: 'c', type: 'ComplexFloatStorage', key: '0', numel: 6, offset: 0, size: [6], stride: [1] }];
    expect(() => parseTorchZip(torchZip(bad, storages))).toThrow(/refusing to load global torch\.ComplexFloatStorage/);
  });

  it('a zip without data.pkl is named as such', () => {
    const z = zipSync({ 'x/readme.txt': enc('hi') }, { level: 0 });
    expect(() => parseTorchCheckpoint(z)).toThrow(/no <archive>\/data\.pkl entry; entries: x\/readme\.txt/);
  });
});

describe('pytorch_model.bin legacy (pre-1.6) format', () => {
  const legacyStorages: [string, number, Uint8Array][] = [
    ['0', 6, storages['0']!],
    ['1', 2, storages['1']!],
    ['2', 2, storages['2']!],
  ];
  it('rebuilds the same tensors as the zip format', () => {
    const bytes = torchLegacy(entries, legacyStorages);
    expect(bytes[0]).toBe(0x80); // not a zip: detected as legacy
    checkTensors(parseTorchCheckpoint(bytes));
  });
  it('storage views (view_metadata) address a slice of the root storage', () => {
    const viewEntries: TensorEntry[] = [
      { name: 'v', type: 'FloatStorage', key: '0', numel: 6, offset: 1, size: [2], stride: [1], view: ['0v', 3, 3] },
    ];
    const t = parseTorchLegacy(torchLegacy(viewEntries, [['0', 6, storages['0']!]]));
    expect([...(t.get('v')!.data as Float32Array)]).toEqual([4, 5]); // view starts at element 3, tensor offset 1
    const bad: TensorEntry[] = [{ ...viewEntries[0]!, view: ['0v', 5, 3] }];
    expect(() => parseTorchLegacy(torchLegacy(bad, [['0', 6, storages['0']!]]))).toThrow(
      /storage view 0v \[5, 8\) lies outside storage 0/,
    );
  });

  it('truncated storage data is an error naming the storage', () => {
    const bytes = torchLegacy(entries, legacyStorages);
    expect(() => parseTorchLegacy(bytes.subarray(0, bytes.length - 3), 'old.bin')).toThrow(
      /old\.bin: truncated file: storage 2 needs 16 bytes at offset \d+, only 13 remain/,
    );
  });
  it('an element count that disagrees with the pickle is an error', () => {
    const bytes = torchLegacy(entries, [['0', 5, storages['0']!], ...legacyStorages.slice(1)]);
    expect(() => parseTorchLegacy(bytes)).toThrow(/storage 0 has 5 elements on disk, the pickle says 6/);
  });
  it('a file that is neither format is named as such', () => {
    const bytes = new PickleWriter().proto(2).int(42).stop().bytes();
    expect(() => parseTorchCheckpoint(bytes, 'x.bin')).toThrow(CheckpointError);
    expect(() => parseTorchCheckpoint(bytes, 'x.bin')).toThrow(
      /x\.bin: not a PyTorch checkpoint \(neither a zip archive nor the legacy format; first value 42\)/,
    );
  });
});
