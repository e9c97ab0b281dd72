// Fuzz targets: for each file reader of albertjs, a fast-check arbitrary of hostile inputs (random bytes, and valid
// files with random corruptions) and the call that reads one. A reader may accept an input or refuse it with one of
// the documented error classes (core's AlbertError subclasses, the tokenizer's TokenizerError subclasses); anything
// else is a crash. Run by fuzz-child.ts in a child process, one case at a time, with a time and memory budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AlbertConfig,
  AlbertError,
  type DType,
  parseFlaxMsgpack,
  parseSafetensors,
  parseTorchCheckpoint,
  randomTensors,
  serializeFlaxMsgpack,
  serializeSafetensors,
  stateDictTensors,
  Tensor,
  TorchStorage,
  torchGlobals,
  unpickle,
} from '@albertjs/core';
import { exportOnnx, inspectOnnx } from '@albertjs/onnx';
import { AlbertTokenizer, AlbertTokenizerFast, TokenizerError } from '@albertjs/tokenizer';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { DEFAULT_FIXTURES_DIR } from '../../src/fixtures.js';
import { TARGET_NAMES } from './target-names.js';

export type Input = Uint8Array | string;

export interface FuzzTarget {
  name: string;
  /** What the target reads and through which public call. */
  reads: string;
  arb: fc.Arbitrary<Input>;
  run(input: Input): unknown;
}

/** The error classes a reader may throw on bad input. */
export function isDocumented(e: unknown): boolean {
  return e instanceof AlbertError || e instanceof TokenizerError;
}

const enc = new TextEncoder();
const bytesOf = (i: Input) => (typeof i === 'string' ? enc.encode(i) : i);

// ---------------------------------------------------------------- corruption of valid files

/** Random edits of a valid file: byte overwrites, a truncation, or appended bytes. */
function corrupt(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });
  return fc.oneof(
    fc.tuple(valid, flips).map(([b, fs]) => {
      const out = b.slice();
      for (const [p, v] of fs) out[p % out.length] = v;
      return out;
    }),
    fc.tuple(valid, fc.double({ min: 0, max: 1, noNaN: true })).map(([b, f]) => b.slice(0, Math.floor(b.length * f))),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([b, x]) => {
      const out = new Uint8Array(b.length + x.length);
      out.set(b);
      out.set(x, b.length);
      return out;
    }),
  );
}

/** Integers a hostile header may hold: small, huge, negative, fractional, unsafe. */
const wildNumber = fc.oneof(
  fc.integer({ min: -2, max: 64 }),
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300, -1, 0.5, Number.MAX_SAFE_INTEGER),
);

const dtypes: readonly DType[] = [
  'float32',
  'float16',
  'bfloat16',
  'float64',
  'int64',
  'int32',
  'int8',
  'uint8',
  'bool',
];

/** A few small tensors of random dtypes and shapes. */
const tensorsArb = fc
  .array(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_.]{0,12}$/),
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((ts) => {
    const m = new Map<string, Tensor>();
    for (const t of ts) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      const bytes = {
        float32: 4,
        float16: 2,
        bfloat16: 2,
        float64: 8,
        int64: 8,
        int32: 4,
        int16: 2,
        int8: 1,
        uint8: 1,
        bool: 1,
      }[t.dtype];
      const raw = new Uint8Array(n * bytes).map((_, i) => (i * 37) & 0x7f);
      const Ctor = {
        float32: Float32Array,
        float16: Uint16Array,
        bfloat16: Uint16Array,
        float64: Float64Array,
        int64: BigInt64Array,
        int32: Int32Array,
        int16: Int16Array,
        int8: Int8Array,
        uint8: Uint8Array,
        bool: Uint8Array,
      }[t.dtype];
      m.set(t.name, new Tensor(t.dtype, new Ctor(raw.buffer) as never, t.shape));
    }
    return m;
  });

// ---------------------------------------------------------------- safetensors

/** A safetensors file whose header is rewritten: fields set to hostile values, a key duplicated, the length field lied. */
const safetensorsHeaderEdits = fc
  .tuple(
    tensorsArb,
    fc.array(
      fc.tuple(
        fc.constantFrom('dtype', 'shape', 'data_offsets', 'dup', 'drop', 'metadata'),
        fc.nat(),
        fc.array(wildNumber, { maxLength: 4 }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.option(fc.constantFrom(0n, 7n, 2n ** 32n, 2n ** 63n, 100_000_001n), { nil: undefined }),
  )
  .map(([tensors, edits, lenLie]) => {
    const file = serializeSafetensors(tensors);
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    let dup = '';
    for (const [field, at, nums] of edits) {
      const name = names[at % names.length]!;
      const info = header[name] as Record<string, unknown> | undefined;
      if (!info) continue;
      if (field === 'dtype') info.dtype = ['F32', 'I64', 'F8_E4M3', 'x', ''][at % 5];
      else if (field === 'shape') info.shape = nums;
      else if (field === 'data_offsets') info.data_offsets = nums.slice(0, 2 + (at % 2));
      else if (field === 'drop') delete header[name];
      else if (field === 'metadata') header.__metadata__ = at % 2 ? { a: nums } : nums;
      else dup = `,${JSON.stringify(name)}:${JSON.stringify(info)}`;
    }
    const text = JSON.stringify(header).replace(/}$/, `${dup}}`);
    const h = enc.encode(text);
    const data = file.subarray(8 + n);
    const out = new Uint8Array(8 + h.length + data.length);
    new DataView(out.buffer).setBigUint64(0, lenLie ?? BigInt(h.length), true);
    out.set(h, 8);
    out.set(data, 8 + h.length);
    return out;
  });

const safetensors: FuzzTarget = {
  name: 'safetensors',
  reads: 'parseSafetensors (model.safetensors)',
  arb: fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    tensorsArb.map((t) => serializeSafetensors(t)),
    corrupt(tensorsArb.map((t) => serializeSafetensors(t))),
    safetensorsHeaderEdits,
  ),
  run: (i) => parseSafetensors(bytesOf(i), 'fuzz.safetensors'),
};

// ---------------------------------------------------------------- pickle

const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const str = (s: string) => {
  const b = enc.encode(s);
  return [0x58, ...u32le(b.length), ...b];
};
const global = (m: string, n: string) => [0x63, ...enc.encode(`${m}\n${n}\n`)];

/** One pickle opcode with random arguments (every opcode the VM knows, some it refuses, and hostile sizes). */
const opcode: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constantFrom(
    [0x28], // MARK
    [0x30], // POP
    [0x31], // POP_MARK
    [0x32], // DUP
    [0x4e], // NONE
    [0x88], // NEWTRUE
    [0x29], // EMPTY_TUPLE
    [0x5d], // EMPTY_LIST
    [0x7d], // EMPTY_DICT
    [0x8f], // EMPTY_SET
    [0x85], // TUPLE1
    [0x86], // TUPLE2
    [0x87], // TUPLE3
    [0x74], // TUPLE
    [0x6c], // LIST
    [0x61], // APPEND
    [0x65], // APPENDS
    [0x64], // DICT
    [0x73], // SETITEM
    [0x75], // SETITEMS
    [0x90], // ADDITEMS
    [0x91], // FROZENSET
    [0x52], // REDUCE
    [0x81], // NEWOBJ
    [0x62], // BUILD
    [0x51], // BINPERSID
    [0x94], // MEMOIZE
    [0x6f], // OBJ
    [0x93], // STACK_GLOBAL
    [0x2e], // STOP
    [0x00], // not an opcode
    [0x95, 8, 0, 0, 0, 0, 0, 0, 0], // FRAME
  ),
  fc.integer({ min: 0, max: 255 }).map((v) => [0x4b, v]), // BININT1
  fc.integer().map((v) => [0x4a, ...u32le(v)]), // BININT
  fc.uint8Array({ maxLength: 16 }).map((b) => [0x8a, b.length, ...b]), // LONG1
  fc.constantFrom(0, 1, 9, 4096, 4097, 70_000).map((n) => [0x8b, ...u32le(n), ...new Array(n).fill(0x41)]), // LONG4
  fc.constantFrom(2 ** 31 - 1, 2 ** 32 - 1).map((n) => [0x8b, ...u32le(n)]), // LONG4 past the end
  fc.stringMatching(/^-?[0-9]{1,30}$/).map((s) => [0x49, ...enc.encode(`${s}\n`)]), // INT
  fc.string({ maxLength: 12 }).map(str), // BINUNICODE
  fc.constantFrom(0, 5, 2 ** 32 - 1).map((n) => [0x58, ...u32le(n)]), // BINUNICODE, lying length
  fc.integer({ min: 0, max: 8 }).map((k) => [0x71, k]), // BINPUT
  fc.integer({ min: 0, max: 8 }).map((k) => [0x68, k]), // BINGET
  fc.constantFrom(
    global('collections', 'OrderedDict'),
    global('torch._utils', '_rebuild_tensor_v2'),
    global('torch._utils', '_rebuild_parameter'),
    global('torch', 'FloatStorage'),
    global('torch', 'LongStorage'),
    global('os', 'system'),
    global('builtins', 'eval'),
  ),
  fc
    .constantFrom(['storage', 'torch', 'FloatStorage', '0', 'cpu'])
    .map((p) => [0x28, ...str(p[0]!), ...global(p[1]!, p[2]!), ...str(p[3]!), ...str(p[4]!), 0x4b, 4, 0x74, 0x51]), // a storage persistent id
);

/** The bytes of `{'w': _rebuild_tensor_v2(storage('0', FloatStorage, numel), offset, size, stride, False)}`. */
function rebuildBytes(numel: number, size: number[], stride: number[], offset: number): Uint8Array {
  const tuple = (xs: number[]) => [0x28, ...xs.flatMap((x) => [0x4a, ...u32le(x)]), 0x74];
  return Uint8Array.from([
    0x80,
    2,
    0x7d,
    ...str('w'),
    ...global('torch._utils', '_rebuild_tensor_v2'),
    0x28,
    0x28,
    ...str('storage'),
    ...global('torch', 'FloatStorage'),
    ...str('0'),
    ...str('cpu'),
    0x4a,
    ...u32le(numel),
    0x74,
    0x51,
    0x4a,
    ...u32le(offset),
    ...tuple(size),
    ...tuple(stride),
    0x89,
    0x74,
    0x52,
    0x73,
    0x2e,
  ]);
}

/** A state_dict-like pickle: _rebuild_tensor_v2 over a storage with random offset, size and stride. */
const rebuildPickle = fc
  .tuple(
    fc.integer({ min: 0, max: 64 }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(2 ** 20, 2 ** 31)), { maxLength: 3 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    fc.integer({ min: 0, max: 16 }),
  )
  .map(([numel, size, stride, offset]) => rebuildBytes(numel, size, stride, offset));

const pickle: FuzzTarget = {
  name: 'pickle',
  reads: 'unpickle with torchGlobals, then stateDictTensors (the state_dict inside pytorch_model.bin)',
  arb: fc.oneof(
    fc.array(opcode, { maxLength: 80 }).map((ops) => Uint8Array.from([0x80, 2, ...ops.flat(), 0x2e])),
    rebuildPickle,
    corrupt(rebuildPickle),
  ),
  run(i) {
    const { value } = unpickle(bytesOf(i), {
      globals: torchGlobals('fuzz.pkl'),
      source: 'fuzz.pkl',
      persistentLoad(pid) {
        const n = Array.isArray(pid) && typeof pid[4] === 'number' && pid[4] <= 4096 ? pid[4] : 0;
        const s = new TorchStorage(String((pid as unknown[])[2]), 'float32', n);
        s.bytes = new Uint8Array(n * 4);
        return s;
      },
    });
    if (value instanceof Map) stateDictTensors(value, 'fuzz.pkl');
    return value;
  },
};

// ---------------------------------------------------------------- torch zip

/** A consistent state_dict pickle: a contiguous [a, b] float tensor over a storage of exactly a·b elements. */
const validRebuild = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([a, b]) => ({
  a,
  b,
  pkl: rebuildBytes(a * b, [a, b], [b, 1], 0),
}));

/** torch.save's zip (stored or deflated) of a rebuilt tensor whose storage may or may not match. */
const torchZipOf = (pkl: Uint8Array, storageBytes: number, level: 0 | 6) =>
  zipSync(
    {
      'archive/data.pkl': pkl,
      'archive/byteorder': enc.encode('little'),
      'archive/data/0': new Uint8Array(storageBytes),
    },
    { level },
  );
const torchZipArb = fc.oneof(
  fc
    .tuple(validRebuild, fc.constantFrom(0 as const, 6 as const))
    .map(([v, level]) => torchZipOf(v.pkl, v.a * v.b * 4, level)),
  fc
    .tuple(rebuildPickle, fc.integer({ min: 0, max: 300 }), fc.constantFrom(0 as const, 6 as const))
    .map(([pkl, n, level]) => torchZipOf(pkl, n, level)),
);

/** Rewrites one central-directory size field of a valid archive (a lying uncompressed or compressed size). */
const lyingDirectory = fc
  .tuple(torchZipArb, fc.nat(), fc.constantFrom(24, 20), fc.constantFrom(0, 1, 2 ** 20, 2 ** 30, 2 ** 32 - 1))
  .map(([zip, which, field, size]) => {
    const out = zip.slice();
    const dv = new DataView(out.buffer);
    let eocd = out.length - 22;
    while (eocd > 0 && dv.getUint32(eocd, true) !== 0x06054b50) eocd--;
    const count = dv.getUint16(eocd + 10, true);
    let at = dv.getUint32(eocd + 16, true);
    for (let k = 0; k < which % count; k++)
      at += 46 + dv.getUint16(at + 28, true) + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
    dv.setUint32(at + field, size, true);
    return out;
  });

const torchZip: FuzzTarget = {
  name: 'torch-zip',
  reads: 'parseTorchCheckpoint (pytorch_model.bin, torch.save zip)',
  arb: fc.oneof(torchZipArb, corrupt(torchZipArb), lyingDirectory, fc.uint8Array({ maxLength: 256 })),
  run: (i) => parseTorchCheckpoint(bytesOf(i), 'fuzz.bin'),
};

// ---------------------------------------------------------------- flax msgpack

const flaxValid = tensorsArb.map((m) => {
  // flax paths come from torch names; keep float32 tensors, as a flax checkpoint holds
  const f = new Map<string, Tensor>();
  let i = 0;
  for (const t of m.values())
    if (t.dtype === 'float32')
      f.set(`albert.encoder.layer_${i++}.${t.shape.length === 2 ? 'weight' : 'bias'}`, t as Tensor<Float32Array>);
  if (!f.size) f.set('albert.pooler.bias', Tensor.f32([1, 2], [2]));
  return serializeFlaxMsgpack(f);
});

/** msgpack trees with flax's ndarray extension (code 1) holding random shape / dtype / data. */
const flaxExt = fc
  .tuple(
    fc.array(wildNumber, { maxLength: 4 }),
    fc.constantFrom('<f4', '<f2', '<i8', '|b1', 'complex', 3),
    fc.uint8Array({ maxLength: 64 }),
  )
  .map(([shape, dtype, data]) => {
    const payload = msgpackEncode([shape, dtype, data]);
    const ext = Uint8Array.from([0xc7, payload.length, 1, ...payload]); // ext 8
    const key = enc.encode('kernel');
    return Uint8Array.from([0x81, 0xa0 | key.length, ...key, ...ext]);
  });

const flax: FuzzTarget = {
  name: 'flax-msgpack',
  reads: 'parseFlaxMsgpack (flax_model.msgpack)',
  arb: fc.oneof(
    flaxValid,
    corrupt(flaxValid),
    flaxExt,
    fc.jsonValue({ maxDepth: 6 }).map((v) => msgpackEncode(v)),
    fc.uint8Array({ maxLength: 256 }),
  ),
  run: (i) => parseFlaxMsgpack(bytesOf(i), 'fuzz.msgpack'),
};

// ---------------------------------------------------------------- protobuf: sentencepiece and ONNX

const spm = join(DEFAULT_FIXTURES_DIR, 'tokenizers', 'spm-en-1000');
let spieceBytes: Uint8Array | undefined;
const spiece = () => {
  spieceBytes ??= new Uint8Array(readFileSync(join(spm, 'spiece.model')));
  return spieceBytes;
};

const spieceModel: FuzzTarget = {
  name: 'spiece-model',
  reads: 'AlbertTokenizer.fromSentencePiece (spiece.model protobuf) + one encode',
  arb: fc.oneof(
    fc.constant(0).chain(() => corrupt(fc.constant(spiece()))),
    fc.uint8Array({ maxLength: 256 }),
  ),
  run(i) {
    const t = AlbertTokenizer.fromSentencePiece(bytesOf(i));
    return t.encode('Hello world, héllo 日本!');
  },
};

let onnxBytes: Uint8Array | undefined;
/** A tiny exported ALBERT (AlbertModel, random weights), made once per process. */
export async function prepareOnnx(): Promise<void> {
  const config = new AlbertConfig({
    vocab_size: 20,
    embedding_size: 4,
    hidden_size: 8,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 8,
    max_position_embeddings: 8,
  });
  const { bindWeights } = await import('@albertjs/core');
  const weights = bindWeights('AlbertModel', config, randomTensors('AlbertModel', config)).weights;
  // a plain Uint8Array copy: Buffer#slice() is a view, and corrupt() would then edit the shared original
  onnxBytes = new Uint8Array((await exportOnnx('AlbertModel', config, weights)).model);
}

const onnxModel: FuzzTarget = {
  name: 'onnx-model',
  reads: 'inspectOnnx (the .onnx protobuf, before onnxruntime sees it)',
  arb: fc.oneof(
    fc.constant(0).map(() => onnxBytes!),
    fc.constant(0).chain(() => corrupt(fc.constant(onnxBytes!))),
    fc.uint8Array({ maxLength: 256 }),
  ),
  run: (i) => inspectOnnx(bytesOf(i), 'fuzz.onnx'),
};

// ---------------------------------------------------------------- JSON: tokenizer.json and config.json

let tokenizerJson: Record<string, unknown> | undefined;
const tokJson = () => {
  tokenizerJson ??= JSON.parse(readFileSync(join(spm, 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  return tokenizerJson;
};

/** Hostile JSON values: wrong types, huge or non-finite numbers, deep nesting, long strings. */
const wildJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  wildNumber,
  fc.constantFrom('1e400', 'NaN', '-0'),
  fc.constantFrom(50, 101, 5000, 200_000).map((d) => `__DEEP_${d}__`), // nesting, spliced in as text by jsonText
  fc.integer({ min: 1, max: 100_000 }).map((n) => 'x'.repeat(n)),
);

/** Replaces the value at a random path of the object (keys chosen by index at each level) with `v`. */
function setAtPath(root: unknown, picks: number[], v: unknown): unknown {
  const out = structuredClone(root) as Record<string, unknown>;
  let node: Record<string, unknown> = out;
  for (let d = 0; d < picks.length; d++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const k = keys[picks[d]! % keys.length]!;
    const child = node[k];
    if (d === picks.length - 1 || typeof child !== 'object' || child === null) {
      node[k] = v;
      break;
    }
    node = child as Record<string, unknown>;
  }
  return out;
}

/**
 * JSON text of `v` with markers spliced in as literals: "1e400" (a number no double holds) and "__DEEP_<n>__"
 * (n nested arrays, which the generator itself could not stringify).
 */
const jsonText = (v: unknown) =>
  JSON.stringify(v)
    .replaceAll('"1e400"', '1e400')
    .replace(/"__DEEP_(\d+)__"/g, (_, d) => `${'['.repeat(Number(d))}${']'.repeat(Number(d))}`);

const tokenizerJsonTarget: FuzzTarget = {
  name: 'tokenizer-json',
  reads: 'AlbertTokenizerFast.fromTokenizerJson (tokenizer.json) + one encode',
  arb: fc.oneof(
    fc
      .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), wildJson)
      .map(([picks, v]) => jsonText(setAtPath(tokJson(), picks, v))),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  ),
  run(i) {
    const t = AlbertTokenizerFast.fromTokenizerJson(typeof i === 'string' ? i : new TextDecoder().decode(i));
    return t.encode('Hello world, héllo 日本!');
  },
};

const CONFIG_KEYS = [
  'vocab_size',
  'embedding_size',
  'hidden_size',
  'num_hidden_layers',
  'num_hidden_groups',
  'num_attention_heads',
  'intermediate_size',
  'inner_group_num',
  'hidden_act',
  'layer_norm_eps',
  'pad_token_id',
  'id2label',
  'label2id',
  'num_labels',
  'architectures',
  'model_type',
  'torch_dtype',
  'task_specific_params',
];

const configJson: FuzzTarget = {
  name: 'config-json',
  reads: 'AlbertConfig.fromJSON (config.json)',
  arb: fc.oneof(
    fc.dictionary(fc.constantFrom(...CONFIG_KEYS), wildJson, { maxKeys: 5 }).map(jsonText),
    fc.string({ maxLength: 100 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  ),
  run: (i) => AlbertConfig.fromJSON(typeof i === 'string' ? i : new TextDecoder().decode(i), 'fuzz/config.json'),
};

export const TARGETS: readonly FuzzTarget[] = [
  safetensors,
  pickle,
  torchZip,
  flax,
  spieceModel,
  onnxModel,
  tokenizerJsonTarget,
  configJson,
];
if (TARGETS.map((t) => t.name).join() !== TARGET_NAMES.join()) throw new Error('target-names.ts is out of date');
