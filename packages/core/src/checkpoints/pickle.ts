// A small pickle virtual machine that builds data but never executes code: every GLOBAL / STACK_GLOBAL /
// INST / OBJ must name an entry of the caller's allow-list, anything else is a CheckpointError naming it.
// Opcodes as in CPython's Lib/pickle.py (protocols 0–5): https://github.com/python/cpython/blob/main/Lib/pickle.py
import { CheckpointError } from '../errors.js';

/** A callable the allow-list exposes to REDUCE / NEWOBJ (e.g. `torch._utils._rebuild_tensor_v2`). */
export interface PickleCallable {
  readonly qualname: string;
  call(args: unknown[]): unknown;
}

/** What GLOBAL resolves to: a callable, or any plain marker value (a storage type, a class used as an argument). */
export type PickleGlobal = PickleCallable | { readonly qualname: string; readonly marker: unknown };

export interface UnpickleOptions {
  /** `module.name` → value; the ONLY globals a pickle may reference. */
  globals: ReadonlyMap<string, PickleGlobal>;
  /** Resolves BINPERSID / PERSID ids (torch storages). Without it a persistent id is an error. */
  persistentLoad?: (pid: unknown) => unknown;
  /** File name used in error messages. */
  source?: string;
  /** Where the pickle starts in `bytes` (pickles may be concatenated, as in the legacy torch format). */
  offset?: number;
}

/** A Python dict whose keys may be any hashable primitive. */
export type PyDict = Map<unknown, unknown>;

/** Longest LONG1/LONG4 integer accepted: a state_dict's largest is the legacy format's 10-byte magic number. */
export const MAX_LONG_BYTES = 4096;
/** Longest text INT / LONG accepted (the decimal form of a MAX_LONG_BYTES integer). */
export const MAX_LONG_DIGITS = 10_000;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A little-endian two's complement integer (pickle's LONG1 / LONG4), in time linear in its length. */
export function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  const hex = new Array<string>(b.length);
  for (let i = 0; i < b.length; i++) hex[i] = HEX[b[b.length - 1 - i]!]!;
  let v = BigInt(`0x${hex.join('')}`);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** At most `max` characters of `s` for an error message, saying how long it was. */
export function clip(s: string, max = 80): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

function isCallable(v: unknown): v is PickleCallable {
  return typeof v === 'object' && v !== null && typeof (v as PickleCallable).call === 'function' && 'qualname' in v;
}

function opName(op: number): string {
  return `0x${op.toString(16).padStart(2, '0')}${op >= 0x20 && op < 0x7f ? ` ('${String.fromCharCode(op)}')` : ''}`;
}

/**
 * Runs one pickle from `options.offset`; returns the value left by STOP and the offset after it.
 * Malformed, truncated or hostile input throws a CheckpointError naming the offset and the opcode or global.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): { value: unknown; end: number } {
  const source = options.source ?? 'pickle';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  let pos = options.offset ?? 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();

  const fail = (msg: string): never => {
    throw new CheckpointError(`${source}: ${msg}`);
  };
  const need = (n: number, what: string): void => {
    if (n < 0 || pos + n > bytes.byteLength)
      fail(`truncated pickle: ${what} needs ${n} bytes at offset ${pos}, file has ${bytes.byteLength}`);
  };
  const u8 = (): number => {
    need(1, 'opcode argument');
    return bytes[pos++]!;
  };
  /** `size` bytes at `pos` (checked), read by `get` (little-endian numbers, raw bytes); advances past them. */
  const fixed = <T>(size: number, what: string, get: (at: number) => T): T => {
    need(size, what);
    const v = get(pos);
    pos += size;
    return v;
  };
  const u16 = (): number => fixed(2, 'uint16', (at) => dv.getUint16(at, true));
  const i32 = (): number => fixed(4, 'int32', (at) => dv.getInt32(at, true));
  const u32 = (): number => fixed(4, 'uint32', (at) => dv.getUint32(at, true));
  const u64 = (): number => {
    const v = fixed(8, 'uint64', (at) => dv.getBigUint64(at, true));
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${v} at offset ${pos - 8} is too large`);
    return Number(v);
  };
  const take = (n: number, what: string): Uint8Array => fixed(n, what, (at) => bytes.subarray(at, at + n));
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) fail(`truncated pickle: unterminated text argument at offset ${pos}`);
    const s = latin1.decode(bytes.subarray(pos, nl));
    pos = nl + 1;
    return s;
  };
  const decodeUtf8 = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail(`invalid UTF-8 string at offset ${pos - b.byteLength}`);
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1]!))
      fail(`stack underflow at offset ${pos - 1}`);
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail(`stack underflow at offset ${pos - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail(`MARK expected before offset ${pos - 1}`);
    return stack.splice(m!);
  };
  const resolveGlobal = (module: string, name: string): PickleGlobal => {
    const q = `${module}.${name}`;
    const g = options.globals.get(q);
    if (!g)
      fail(
        `refusing to load global ${clip(q)} (not in the allow-list of tensor-rebuilding functions; the file may be hostile)`,
      );
    return g!;
  };
  const callValue = (fn: unknown, args: unknown, how: string): unknown => {
    if (!isCallable(fn)) fail(`${how} on a non-callable ${pyRepr(fn)} at offset ${pos - 1}`);
    if (!Array.isArray(args)) fail(`${how} arguments must be a tuple, got ${pyRepr(args)} at offset ${pos - 1}`);
    return (fn as PickleCallable).call(args as unknown[]);
  };
  const long = (b: Uint8Array, what: string): number | bigint => {
    if (b.length > MAX_LONG_BYTES)
      fail(
        `${what} integer of ${b.length} bytes at offset ${pos - b.length} exceeds the ${MAX_LONG_BYTES}-byte limit (a state_dict holds no such number; the file may be hostile)`,
      );
    return decodeLong(b);
  };
  /** Text INT / LONG: decimal digits, at most MAX_LONG_DIGITS of them (BigInt parsing is superlinear). */
  const decimal = (s: string, what: string): number | bigint => {
    if (!/^[-+]?\d+$/.test(s)) fail(`${what} with invalid argument ${clip(JSON.stringify(s))}`);
    if (s.length > MAX_LONG_DIGITS)
      fail(`${what} of ${s.length} digits at offset ${pos - s.length - 1} exceeds the ${MAX_LONG_DIGITS}-digit limit`);
    return Number.isSafeInteger(Number(s)) ? Number(s) : BigInt(s);
  };
  const setItems = (d: unknown, kv: unknown[]): void => {
    if (!(d instanceof Map)) fail(`SETITEM(S) on ${pyRepr(d)} at offset ${pos - 1}`);
    if (kv.length % 2) fail(`SETITEMS with an odd number of items at offset ${pos - 1}`);
    for (let i = 0; i < kv.length; i += 2) (d as PyDict).set(kv[i], kv[i + 1]);
  };

  for (;;) {
    if (pos >= bytes.byteLength) fail(`truncated pickle: no STOP opcode before the end of the data (offset ${pos})`);
    const op = bytes[pos++]!;
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail(`unsupported pickle protocol ${bytes[pos - 1]}`);
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: {
        // STOP
        if (stack.length !== 1 || marks.length)
          fail(`malformed pickle: STOP with ${stack.length} stack items at offset ${pos - 1}`);
        return { value: stack[0], end: pos };
      }
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x30: // POP
        if (marks.length && marks[marks.length - 1] === stack.length) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(long(take(u8(), 'LONG1'), 'LONG1'));
        break;
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail(`negative LONG4 length ${n}`);
        stack.push(long(take(n, 'LONG4'), 'LONG4'));
        break;
      }
      case 0x49: {
        // INT (text; "01"/"00" are the protocol-0 booleans)
        const s = line();
        stack.push(s === '01' || s === '00' ? s === '01' : decimal(s, 'INT'));
        break;
      }
      case 0x4c: // LONG (text)
        stack.push(decimal(line().replace(/L$/, ''), 'LONG'));
        break;
      case 0x47: // BINFLOAT (big-endian)
        need(8, 'BINFLOAT');
        stack.push(dv.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x46: {
        // FLOAT (text)
        const s = line();
        const v = Number(s);
        if (Number.isNaN(v) && s.trim().toLowerCase() !== 'nan')
          fail(`FLOAT with invalid argument ${clip(JSON.stringify(s))}`);
        stack.push(v);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(decodeUtf8(take(u32(), 'BINUNICODE')));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decodeUtf8(take(u8(), 'SHORT_BINUNICODE')));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decodeUtf8(take(u64(), 'BINUNICODE8')));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        stack.push(
          line().replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a, b) =>
            String.fromCodePoint(Number.parseInt(a ?? b, 16)),
          ),
        );
        break;
      case 0x54: {
        // BINSTRING (py2 str: decoded as latin-1, as torch's loader does with encoding='latin1')
        const n = i32();
        if (n < 0) fail(`negative BINSTRING length ${n}`);
        stack.push(latin1.decode(take(n, 'BINSTRING')));
        break;
      }
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(take(u8(), 'SHORT_BINSTRING')));
        break;
      case 0x53: {
        // STRING (quoted repr)
        const s = line();
        const m = /^(['"])(.*)\1$/s.exec(s);
        if (!m) fail(`STRING with invalid argument ${clip(JSON.stringify(s))}`);
        stack.push(
          m![2]!
            .replace(/\\x([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)))
            .replace(/\\(['"\\])/g, '$1'),
        );
        break;
      }
      case 0x42: // BINBYTES
        stack.push(take(u32(), 'BINBYTES').slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8(), 'SHORT_BINBYTES').slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64(), 'BINBYTES8').slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x74: // TUPLE
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const l = top();
        if (!Array.isArray(l)) fail(`APPEND on ${pyRepr(l)} at offset ${pos - 1}`);
        (l as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const l = top();
        if (!Array.isArray(l)) fail(`APPENDS on ${pyRepr(l)} at offset ${pos - 1}`);
        for (const x of items) (l as unknown[]).push(x); // push(...items) overflows the stack for 10^5 items
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const d = new Map();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail(`ADDITEMS on ${pyRepr(s)} at offset ${pos - 1}`);
        for (const x of items) (s as Set<unknown>).add(x);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const at = pos - 1;
        const k = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`memo key ${k} read before it was written (offset ${at})`);
        stack.push(memo.get(k));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(resolveGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          fail(`STACK_GLOBAL needs two strings at offset ${pos - 1}`);
        stack.push(resolveGlobal(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(callValue(fn, args, 'REDUCE'));
        break;
      }
      case 0x81: {
        // NEWOBJ cls.__new__(cls, *args)
        const args = pop();
        const cls = pop();
        stack.push(callValue(cls, args, 'NEWOBJ'));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(kwargs instanceof Map) || kwargs.size)
          fail(`NEWOBJ_EX with keyword arguments is not supported (offset ${pos - 1})`);
        stack.push(callValue(cls, args, 'NEWOBJ_EX'));
        break;
      }
      case 0x69: {
        // INST "module\nname\n" with args after MARK
        const module = line();
        const name = line();
        const g = resolveGlobal(module, name);
        stack.push(callValue(g, popMark(), 'INST'));
        break;
      }
      case 0x6f: {
        // OBJ: MARK cls args...
        const items = popMark();
        if (!items.length) fail(`OBJ without a class at offset ${pos - 1}`);
        stack.push(callValue(items[0], items.slice(1), 'OBJ'));
        break;
      }
      case 0x62: {
        // BUILD: obj.__setstate__(state). Only dicts (OrderedDict's `_metadata`) and values that accept state.
        const state = pop();
        const obj = top();
        if (obj instanceof Map) break;
        if (typeof obj === 'object' && obj !== null && typeof (obj as { setState?: unknown }).setState === 'function') {
          (obj as { setState(s: unknown): void }).setState(state);
          break;
        }
        fail(`BUILD on ${pyRepr(obj)} at offset ${pos - 1} is not allowed`);
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!options.persistentLoad)
          fail(`persistent id ${pyRepr(pid)} found but this file format has no persistent storage`);
        stack.push(options.persistentLoad!(pid));
        break;
      }
      case 0x50: {
        // PERSID
        const pid = line();
        if (!options.persistentLoad)
          fail(`persistent id ${clip(JSON.stringify(pid))} found but this file format has no persistent storage`);
        stack.push(options.persistentLoad!(pid));
        break;
      }
      default:
        fail(`unsupported or unsafe pickle opcode ${opName(op)} at offset ${pos - 1}`);
    }
  }
}

/** Short description of a pickle value for error messages. */
export function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `tuple/list of ${v.length}`;
  if (v instanceof Map) return 'dict';
  if (v instanceof Uint8Array) return `bytes(${v.length})`;
  if (typeof v === 'object' && 'qualname' in (v as object)) return (v as { qualname: string }).qualname;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') {
    const s = String(v);
    return s.length > 40 ? `int of ${s.replace('-', '').length} digits (${s.slice(0, 12)}…${s.slice(-12)})` : s;
  }
  return clip(String(v));
}
