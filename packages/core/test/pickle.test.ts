import { CheckpointError, type PickleGlobal, parseTorchCheckpoint, torchGlobals, unpickle } from '@albertjs/core';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PickleWriter } from './helpers/pickle-writer.js';

const noGlobals = { globals: new Map<string, PickleGlobal>(), source: 'test.pkl' };

function expectError(fn: () => unknown, ...parts: (string | RegExp)[]) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CheckpointError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

describe('pickle VM: data', () => {
  it('decodes the value types torch pickles use', () => {
    const w = new PickleWriter().proto(2).mark();
    w.int(7)
      .int(300)
      .int(-5)
      .int(70000)
      .long(119547037146038801333356n)
      .long(-2n)
      .none()
      .bool(true)
      .bool(false)
      .str('héllo');
    w.raw(0x47, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18); // BINFLOAT pi
    w.raw(0x43, 3, 1, 2, 3); // SHORT_BINBYTES
    w.raw(0x8c, 2, 0x68, 0x69); // SHORT_BINUNICODE "hi"
    w.tuple().put().stop();
    const { value, end } = unpickle(w.bytes(), noGlobals);
    expect(value).toEqual([
      7,
      300,
      -5,
      70000,
      119547037146038801333356n,
      -2,
      null,
      true,
      false,
      'héllo',
      Math.PI,
      new Uint8Array([1, 2, 3]),
      'hi',
    ]);
    expect(end).toBe(w.bytes().length);
  });

  it('builds lists, dicts and memo references', () => {
    const w = new PickleWriter().proto(2);
    w.op('}').put().mark().str('a').op(']').put().mark().int(1).int(2).op('e').str('b').get(1).op('u').stop();
    const { value } = unpickle(w.bytes(), noGlobals);
    const m = value as Map<string, unknown>;
    expect(m.get('a')).toEqual([1, 2]);
    expect(m.get('b')).toBe(m.get('a'));
  });

  it('reads concatenated pickles from an offset', () => {
    const a = new PickleWriter().proto(2).int(1).stop().bytes();
    const b = new PickleWriter().proto(2).int(2).stop().bytes();
    const both = new Uint8Array([...a, ...b]);
    const first = unpickle(both, noGlobals);
    expect(unpickle(both, { ...noGlobals, offset: first.end }).value).toBe(2);
  });
});

describe('pickle VM: hostile input never executes anything', () => {
  it('GLOBAL os.system + REDUCE is refused, naming the global', () => {
    const w = new PickleWriter().proto(2).global('os', 'system').mark().str('touch /tmp/pwned').tuple().reduce().stop();
    expectError(
      () => unpickle(w.bytes(), { globals: torchGlobals('evil.pkl'), source: 'evil.pkl' }),
      'evil.pkl',
      'os.system',
      /allow-list/,
    );
  });

  it('STACK_GLOBAL builtins.eval is refused', () => {
    const w = new PickleWriter()
      .proto(4)
      .str('builtins')
      .str('eval')
      .raw(0x93)
      .mark()
      .str('1+1')
      .tuple()
      .reduce()
      .stop();
    expectError(() => unpickle(w.bytes(), { globals: torchGlobals('x'), source: 'x' }), 'builtins.eval');
  });

  it('INST subprocess.Popen is refused', () => {
    const w = new PickleWriter().proto(0).mark().str('ls').op('i');
    for (const c of new TextEncoder().encode('subprocess\nPopen\n')) w.raw(c);
    expectError(() => unpickle(w.stop().bytes(), { globals: torchGlobals('x'), source: 'x' }), 'subprocess.Popen');
  });

  it('torch globals outside the allow-list are refused (torch.load itself is not reachable)', () => {
    const w = new PickleWriter().proto(2).global('torch', 'load').mark().str('x').tuple().reduce().stop();
    expectError(() => unpickle(w.bytes(), { globals: torchGlobals('x'), source: 'x' }), 'torch.load');
  });

  it('extension-registry opcodes (EXT1) and out-of-band buffers are refused', () => {
    expectError(
      () => unpickle(new PickleWriter().proto(2).raw(0x82, 1).stop().bytes(), noGlobals),
      /unsupported or unsafe pickle opcode 0x82/,
    );
    expectError(() => unpickle(new PickleWriter().proto(5).raw(0x97).stop().bytes(), noGlobals), /opcode 0x97/);
  });

  it('REDUCE on data and BUILD on a tensor are refused', () => {
    expectError(
      () => unpickle(new PickleWriter().proto(2).str('os').emptyTuple().reduce().stop().bytes(), noGlobals),
      /REDUCE on a non-callable "os"/,
    );
    const w = new PickleWriter().proto(2).global('torch', 'FloatStorage').op('}').op('b').stop();
    expectError(() => unpickle(w.bytes(), { globals: torchGlobals('x'), source: 'x' }), /BUILD on torch\.FloatStorage/);
  });

  it('a hostile data.pkl inside a zip checkpoint is refused, naming file and global', () => {
    const pkl = new PickleWriter().proto(2).global('posix', 'system').mark().str('id').tuple().reduce().stop().bytes();
    const zip = zipSync({ 'archive/data.pkl': pkl, 'archive/version': new TextEncoder().encode('3\n') }, { level: 0 });
    expectError(() => parseTorchCheckpoint(zip, 'pytorch_model.bin'), 'pytorch_model.bin', 'posix.system');
  });
});

describe('pickle VM: malformed input', () => {
  it('truncated pickles name the offset', () => {
    const full = new PickleWriter().proto(2).str('albert.embeddings.word_embeddings.weight').stop().bytes();
    expectError(
      () => unpickle(full.subarray(0, 20), noGlobals),
      /truncated pickle: BINUNICODE needs 40 bytes at offset 7/,
    );
    expectError(() => unpickle(full.subarray(0, full.length - 1), noGlobals), /no STOP opcode/);
  });
  it('memo reads before writes, stack underflow and stray marks are errors', () => {
    expectError(
      () => unpickle(new PickleWriter().proto(2).get(3).stop().bytes(), noGlobals),
      /memo key 3 read before it was written/,
    );
    expectError(() => unpickle(new PickleWriter().proto(2).op('a').stop().bytes(), noGlobals), /stack underflow/);
    expectError(() => unpickle(new PickleWriter().proto(2).mark().int(1).stop().bytes(), noGlobals), /STOP with/);
  });
  it('persistent ids need a persistent loader', () => {
    expectError(
      () => unpickle(new PickleWriter().proto(2).str('x').op('Q').stop().bytes(), noGlobals),
      /persistent id "x"/,
    );
  });
});
