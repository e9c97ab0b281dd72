// Regressions of issue 15 (hostile inputs) through core's public API: each case once failed by hanging, overflowing
// the stack, allocating gigabytes from a tiny file or loading a malformed file silently. The whole table of cases
// tried is docs/hostile-inputs.md; the property-based fuzzing is packages/parity-tests/test/hostile/.
import {
  AlbertConfig,
  CheckpointError,
  ConfigError,
  decodeLong,
  MAX_CONFIG_DEPTH,
  MAX_LONG_BYTES,
  type PickleGlobal,
  parseTorchCheckpoint,
  unpickle,
} from '@albertjs/core';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PickleWriter, stateDictPickle, type TensorEntry } from './helpers/pickle-writer.js';

const noGlobals = { globals: new Map<string, PickleGlobal>(), source: 'x.pkl' };
const enc = (s: string) => new TextEncoder().encode(s);

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** LONG4 opcode with `n` payload bytes (all 0x7f: a huge positive number). */
function long4(n: number): Uint8Array {
  const b = new Uint8Array(2 + 5 + n + 1);
  b.set([0x80, 2, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
  b.fill(0x7f, 7, 7 + n);
  b[7 + n] = 0x2e; // STOP
  return b;
}

/** Rewrites the uncompressed size the zip's central directory declares for `name`. */
function setDeclaredSize(file: Uint8Array, name: string, size: number): void {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let cd = file.byteLength - 22;
  while (dv.getUint32(cd, true) !== 0x06054b50) cd--;
  let at = dv.getUint32(cd + 16, true);
  for (;;) {
    const nameLen = dv.getUint16(at + 28, true);
    if (new TextDecoder().decode(file.subarray(at + 46, at + 46 + nameLen)) === name) break;
    at += 46 + nameLen + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
  }
  dv.setUint32(at + 24, size, true);
}

function torchZip(entries: TensorEntry[], storages: Record<string, Uint8Array>, level: 0 | 1 | 9 = 0): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'archive/data.pkl': stateDictPickle(entries),
    'archive/byteorder': enc('little'),
  };
  for (const [k, b] of Object.entries(storages)) files[`archive/data/${k}`] = b;
  return zipSync(files, { level });
}

describe('pickle: big integers and long lists', () => {
  it('LONG4 decodes in linear time, exactly', () => {
    const b = new Uint8Array(MAX_LONG_BYTES).fill(0xff);
    b[b.length - 1] = 0x7f; // 2^(8·4096 − 1) − 1
    expect(decodeLong(b)).toBe((1n << BigInt(8 * MAX_LONG_BYTES - 1)) - 1n);
    expect(decodeLong(Uint8Array.from([0xff]))).toBe(-1);
    expect(decodeLong(Uint8Array.from([0x00, 0x80]))).toBe(-32768);
    const ok = unpickle(long4(MAX_LONG_BYTES), noGlobals).value as bigint;
    expect(ok.toString(16).length).toBe(2 * MAX_LONG_BYTES);
  });

  it('a 256 KB LONG4 is refused at once with a short message (it hung for > 100 s)', () => {
    const e = caught(() => unpickle(long4(256 * 1024), noGlobals));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/LONG4 integer of 262144 bytes at offset 7 exceeds the 4096-byte limit/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('a text INT of 10^6 digits is refused; error messages never repeat a huge value', () => {
    const op = (code: number, text: string) => {
      const b = enc(`_${text}\n.`);
      b[0] = code;
      return b;
    };
    const e = caught(() => unpickle(op(0x49, '9'.repeat(1_000_000)), noGlobals));
    expect(e.message).toMatch(/INT of 1000000 digits at offset 1 exceeds the 10000-digit limit/);
    const bad = op(0x49, 'x'.repeat(100_000));
    expect(caught(() => unpickle(bad, noGlobals)).message.length).toBeLessThan(200);
    // a big (allowed) LONG handed to a tensor rebuild is printed by its size, not its 9,000 digits
    const w = new PickleWriter().proto(2).global('torch._utils', '_rebuild_tensor_v2').mark();
    w.raw(0x4c, ...enc(`${'7'.repeat(9000)}L\n`))
      .tuple()
      .reduce()
      .stop();
    const m = caught(() => parseTorchCheckpoint(zipSync({ 'a/data.pkl': w.bytes() }), 'big.bin'));
    expect(m).toBeInstanceOf(CheckpointError);
    expect(m.message).toMatch(/expects a storage, got int of 9000 digits \(777777777777…777777777777\)/);
  });

  it('300,000 items before APPENDS build the list (push(...items) overflowed the stack)', () => {
    const n = 300_000;
    const b = new Uint8Array(4 + 2 * n + 2);
    b.set([0x80, 2, 0x5d, 0x28]); // PROTO 2, EMPTY_LIST, MARK
    for (let i = 0; i < n; i++) b.set([0x4b, i & 0xff], 4 + 2 * i); // BININT1
    b.set([0x65, 0x2e], 4 + 2 * n); // APPENDS, STOP
    const v = unpickle(b, noGlobals).value as number[];
    expect(v.length).toBe(n);
    expect(v[n - 1]).toBe((n - 1) & 0xff);
  });
});

describe('torch checkpoints: no allocation beyond the declared storages', () => {
  it('eight stride-0 views of a 1-element storage are refused before allocating (they took 2 GB)', () => {
    const entries: TensorEntry[] = Array.from({ length: 8 }, (_, i) => ({
      name: `w${i}`,
      type: 'FloatStorage',
      key: '0',
      numel: 1,
      offset: 0,
      size: [8192, 8192],
      stride: [0, 0],
    }));
    const file = torchZip(entries, { '0': new Uint8Array(4) });
    expect(file.byteLength).toBeLessThan(2000);
    const e = caught(() => parseTorchCheckpoint(file, 'bomb.bin'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(
      /bomb\.bin: tensor w0 \(size \[8192, 8192\], stride \[0, 0\], offset 0\) has 67108864 elements but storage 0 holds 1 from the offset on: an overlapping \(zero-stride \/ expanded\) view/,
    );
  });

  it('singleton dimensions with stride 0 (torch expand of a buffer) still load', () => {
    const ids: TensorEntry = {
      name: 'position_ids',
      type: 'LongStorage',
      key: '0',
      numel: 4,
      offset: 0,
      size: [1, 4],
      stride: [0, 1],
    };
    const t = parseTorchCheckpoint(
      torchZip([ids], { '0': new Uint8Array(BigInt64Array.from([0n, 1n, 2n, 3n]).buffer) }),
    );
    expect([...(t.get('position_ids')!.data as BigInt64Array)]).toEqual([0n, 1n, 2n, 3n]);
  });

  it('strided copies together may not exceed the storages: many transposed views of one storage are refused', () => {
    const views: TensorEntry[] = Array.from({ length: 3 }, (_, i) => ({
      name: `t${i}`,
      type: 'FloatStorage',
      key: '0',
      numel: 6,
      // distinct offsets so they are not deduplicated as one tied tensor; each a transposed 2x2 view
      offset: i,
      size: [2, 2],
      stride: [1, 2],
    }));
    const e = caught(() => parseTorchCheckpoint(torchZip(views, { '0': new Uint8Array(24) }), 'views.bin'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(
      /copying the strided tensor t1 .* would make the checkpoint's views hold more than its storages \(24 bytes\)/,
    );
  });

  it('a storage entry that inflates beyond its declared size is refused before inflating (it took 319 MB)', () => {
    const entries: TensorEntry[] = [
      { name: 'w', type: 'FloatStorage', key: '0', numel: 4, offset: 0, size: [4], stride: [1] },
    ];
    // 16 MiB of zeros deflate to ~70 KB; the pickle says the storage holds 16 bytes
    const file = torchZip(entries, { '0': new Uint8Array(16 * 2 ** 20) }, 1);
    expect(file.byteLength).toBeLessThan(200_000);
    const before = process.resourceUsage().maxRSS;
    const e = caught(() => parseTorchCheckpoint(file, 'zipbomb.bin'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(/zipbomb\.bin: storage 0 holds 16777216 bytes, expected 4 × 4 \(float32\)/);
    // the peak RSS did not grow by the inflated size (maxRSS is in KB)
    expect(process.resourceUsage().maxRSS - before).toBeLessThan(8 * 1024);
  });

  it('a storage whose deflate stream runs past its declared size fills exactly the declared bytes; a short one is refused', () => {
    const entries: TensorEntry[] = [
      { name: 'w', type: 'FloatStorage', key: '0', numel: 4, offset: 0, size: [4], stride: [1] },
    ];
    const floats = new Float32Array(64).map((_, i) => i + 0.5);
    // the stream inflates to 256 bytes; the central directory and the pickle say 16
    const long = torchZip(entries, { '0': new Uint8Array(floats.buffer) }, 9);
    setDeclaredSize(long, 'archive/data/0', 16);
    const got = parseTorchCheckpoint(long, 'long.bin').get('w')!;
    expect(got.shape).toEqual([4]);
    expect([...(got.data as Float32Array)]).toEqual([0.5, 1.5, 2.5, 3.5]);
    // the stream inflates to 8 bytes where 16 are declared
    const short = torchZip(entries, { '0': new Uint8Array(floats.buffer, 0, 8) }, 9);
    setDeclaredSize(short, 'archive/data/0', 16);
    const e = caught(() => parseTorchCheckpoint(short, 'short.bin'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(
      /short\.bin: storage 0 inflates to \d+ bytes, expected 4 × 4 \(float32\): corrupt archive/,
    );
  });

  it('a central directory that declares more than deflate can produce is refused', () => {
    const entries: TensorEntry[] = [
      { name: 'w', type: 'FloatStorage', key: '0', numel: 4, offset: 0, size: [4], stride: [1] },
    ];
    const file = torchZip(entries, { '0': new Uint8Array(16) }, 9);
    setDeclaredSize(file, 'archive/data.pkl', 2 ** 30);
    const e = caught(() => parseTorchCheckpoint(file, 'lie.bin'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.message).toMatch(
      /lie\.bin: zip entry archive\/data\.pkl declares 1073741824 bytes but holds \d+ compressed bytes/,
    );
  });
});

describe('config.json', () => {
  it('200,000 nested arrays are a ConfigError naming the depth (not a stack overflow)', () => {
    const deep = `{"vocab_size": 30, "task_specific_params": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const e = caught(() => AlbertConfig.fromJSON(deep, 'deep/config.json'));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(
      `deep/config.json: config.task_specific_params nests arrays/objects more than ${MAX_CONFIG_DEPTH} levels deep (the limit is ${MAX_CONFIG_DEPTH})`,
    );
    // as an object too (new AlbertConfig(obj) clones every value)
    let o: unknown = [];
    for (let i = 0; i < 200_000; i++) o = [o];
    expect(() => new AlbertConfig({ extra_field: o })).toThrow(
      /config\.extra_field nests arrays\/objects more than 100/,
    );
  });

  it('num_labels 2^32 is refused before building 2^32 labels (was: RangeError: Invalid array length)', () => {
    expect(() => AlbertConfig.fromJSON('{"num_labels": 4294967296}')).toThrow(
      'config.num_labels = 4294967296: more than 1000000 labels (id2label would hold one entry each)',
    );
  });

  it('vocab_size 1e400 names Infinity, not null; huge values are clipped', () => {
    expect(() => AlbertConfig.fromJSON('{"vocab_size": 1e400}')).toThrow(
      'config.vocab_size = Infinity (the number does not fit a double): expected a positive integer, got number',
    );
    const e = caught(() => AlbertConfig.fromJSON(`{"hidden_act": "${'g'.repeat(1_000_000)}"}`));
    expect(e.message).toMatch(/config\.hidden_act = "g{119}… \(1000002 characters\): unknown activation/);
    expect(e.message.length).toBeLessThan(400);
  });
});
