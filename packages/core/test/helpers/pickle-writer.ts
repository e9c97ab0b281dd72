// Emits pickle opcodes (protocol 2, as torch.save writes them) so tests can build torch checkpoints,
// hostile pickles and malformed ones byte by byte.
export class PickleWriter {
  private parts: number[] = [];
  private memo = 0;

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
  raw(...b: number[]): this {
    this.parts.push(...b);
    return this;
  }
  op(c: string): this {
    return this.raw(c.charCodeAt(0));
  }
  proto(v = 2): this {
    return this.raw(0x80, v);
  }
  global(module: string, name: string): this {
    this.op('c');
    for (const ch of new TextEncoder().encode(`${module}\n${name}\n`)) this.parts.push(ch);
    return this;
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    this.raw(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24);
    for (const x of b) this.parts.push(x);
    return this;
  }
  int(v: number): this {
    if (v >= 0 && v < 256) return this.raw(0x4b, v);
    if (v >= 0 && v < 65536) return this.raw(0x4d, v & 0xff, v >> 8);
    return this.raw(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  }
  /** LONG1 of a bigint (two's complement little-endian). */
  long(v: bigint): this {
    const out: number[] = [];
    let x = v;
    do {
      out.push(Number(x & 0xffn));
      x >>= 8n;
    } while (!(x === 0n && (out[out.length - 1]! & 0x80) === 0) && !(x === -1n && (out[out.length - 1]! & 0x80) !== 0));
    return this.raw(0x8a, out.length, ...out);
  }
  none(): this {
    return this.op('N');
  }
  bool(v: boolean): this {
    return this.raw(v ? 0x88 : 0x89);
  }
  mark(): this {
    return this.op('(');
  }
  tuple(): this {
    return this.op('t');
  }
  emptyTuple(): this {
    return this.op(')');
  }
  /** A tuple of small ints. */
  ints(xs: number[]): this {
    this.mark();
    for (const x of xs) this.int(x);
    return this.tuple();
  }
  reduce(): this {
    return this.op('R');
  }
  put(): this {
    return this.raw(0x71, this.memo++);
  }
  get(i: number): this {
    return this.raw(0x68, i);
  }
  stop(): this {
    return this.op('.');
  }
}

/** Persistent id tuple ('storage', torch.<Type>, key, 'cpu', numel[, view]) followed by BINPERSID. */
export function storageId(
  w: PickleWriter,
  type: string,
  key: string,
  numel: number,
  legacy = false,
  view?: [string, number, number],
): PickleWriter {
  w.mark().str('storage').global('torch', type).str(key).str('cpu').int(numel);
  if (legacy && view) w.mark().str(view[0]).int(view[1]).int(view[2]).tuple();
  else if (legacy) w.none();
  return w.tuple().op('Q');
}

export interface TensorEntry {
  name: string;
  type: string;
  key: string;
  numel: number;
  offset: number;
  size: number[];
  stride: number[];
  /** Legacy format only: (view_key, offset, size) of a storage view, in elements. */
  view?: [string, number, number];
}

/** A state_dict pickle: OrderedDict of _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
export function stateDictPickle(entries: TensorEntry[], legacy = false): Uint8Array {
  const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  for (const e of entries) {
    w.str(e.name).global('torch._utils', '_rebuild_tensor_v2').mark();
    storageId(w, e.type, e.key, e.numel, legacy, e.view);
    w.int(e.offset)
      .ints(e.size)
      .ints(e.stride)
      .bool(false)
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .tuple()
      .reduce();
  }
  return w.op('u').stop().bytes();
}
