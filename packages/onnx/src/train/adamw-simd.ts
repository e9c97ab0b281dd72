// AdamW's element update as a WebAssembly SIMD kernel (f32x4): the JavaScript loop spends most of its
// time in scalar float64 square roots and divisions (≈ 85 ms for albert-base's 11.7 M parameters on one
// core); four float32 lanes at a time make the pass memory-bound. The module is tiny and assembled here
// from its instruction list (below, one line per step of the update), so no toolchain or binary file is
// needed. Parameters are streamed through a small scratch area in the module's memory, in chunks that stay
// in cache: p, g, m, v copied in, p, m, v copied out.
// The arithmetic is torch.optim.AdamW's, in float32 as torch's kernel computes it:
//   g ← (g / divideBy) · scale;  m ← β1·m + (1−β1)·g;  v ← β2·v + ((1−β2)·g)·g;
//   p ← p·keep − (stepSize·m) / (√v · invSqrtBc2 + eps)

/** Elements per chunk: four arrays of it (256 KB) fit in L2. */
export const CHUNK = 16384;
const BYTES = CHUNK * 4;

export interface AdamWScalars {
  b1: number;
  b2: number;
  keep: number;
  stepSize: number;
  invSqrtBc2: number;
  eps: number;
  divideBy: number;
  scale: number;
}

export type SimdUpdate = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamWScalars) => void;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// opcodes (WebAssembly core spec 1.0 + the SIMD proposal, both in every engine that has SIMD)
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = (offset: number) => [...simd(0x00), 4, ...uleb(offset)]; // v128.load align=16
const store = (offset: number) => [...simd(0x0b), 4, ...uleb(offset)]; // v128.store align=16
const [splat, sqrt, add, sub, mul, div] = [0x13, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd) as [
  number[],
  number[],
  number[],
  number[],
  number[],
  number[],
];

// params: 0 n (elements, a multiple of 4), 1..8 the f32 scalars in AdamWScalars' order (+ c1, c2 after b2)
// locals: 11 i (byte offset), 12 end, 13..22 the scalars splat to f32x4, 23 g, 24 m', 25 v'
const SCALARS = ['b1', 'b2', 'c1', 'c2', 'keep', 'stepSize', 'invSqrtBc2', 'eps', 'divideBy', 'scale'] as const;
const S = (name: (typeof SCALARS)[number]) => 13 + SCALARS.indexOf(name);
const [I, END, G, M, V] = [11, 12, 23, 24, 25];
const [P_AT, G_AT, M_AT, V_AT] = [0, BYTES, 2 * BYTES, 3 * BYTES];

function body(): number[] {
  const c = (...parts: number[][]) => parts.flat();
  const code = [
    ...SCALARS.map((_, k) => c(get(1 + k), splat, set(13 + k))), // the scalars as f32x4
    c(get(0), i32(2), [0x74], set(END)), // end = n << 2 (bytes)
    c(i32(0), set(I)), // i = 0
    [0x02, 0x40, 0x03, 0x40], // block, loop
    c(get(I), get(END), [0x4f, 0x0d, 1]), // if i >= end: break
    c(get(I), load(G_AT), get(S('divideBy')), div, get(S('scale')), mul, set(G)), // g = (g / divideBy) · scale
    c(get(I), load(M_AT), get(S('b1')), mul, get(S('c1')), get(G), mul, add, set(M)), // m' = β1·m + (1−β1)·g
    c(get(I), load(V_AT), get(S('b2')), mul, get(S('c2')), get(G), mul, get(G), mul, add, set(V)), // v' = β2·v + ((1−β2)·g)·g
    c(get(I), get(M), store(M_AT)),
    c(get(I), get(V), store(V_AT)),
    c(get(I), get(I), load(P_AT), get(S('keep')), mul), // p·keep
    c(get(S('stepSize')), get(M), mul), // stepSize·m'
    c(get(V), sqrt, get(S('invSqrtBc2')), mul, get(S('eps')), add), // √v' · invSqrtBc2 + eps
    c(div, sub, store(P_AT)), // p' = p·keep − (stepSize·m') / (…)
    c(get(I), i32(16), [0x6a], set(I)), // i += 16
    [0x0c, 0, 0x0b, 0x0b, 0x0b], // br loop; end loop, block, function
  ].flat();
  const locals = vec([
    [2, 0x7f], // i32 × 2
    [13, 0x7b], // v128 × 13
  ]);
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const f = body();
  const type = vec([[0x60, ...vec([[0x7f], ...SCALARS.map(() => [0x7d])]), 0]]); // (i32, f32 × 10) → ()
  const pages = Math.ceil((4 * BYTES) / 65536);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // \0asm, version 1
    ...section(1, type),
    ...section(3, vec([[0]])), // one function of type 0
    ...section(5, vec([[0x00, ...uleb(pages)]])), // memory, min pages
    ...section(
      7,
      vec([
        [...name('adamw'), 0x00, 0],
        [...name('mem'), 0x02, 0],
      ]),
    ), // exports: func 0, memory 0
    ...section(10, vec([[...uleb(f.length), ...f]])),
  ]);
}

/** The part of the WebAssembly JS API used here (the package's TypeScript libs declare none). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

let cached: SimdUpdate | null | undefined;

/** The SIMD update, or null where WebAssembly SIMD is unavailable (the caller keeps its JavaScript loop). */
export function simdUpdate(): SimdUpdate | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = moduleBytes();
    if (!wasm?.validate(bytes)) return null; // no WebAssembly, or no SIMD
    const inst = new wasm.Instance(new wasm.Module(bytes));
    const { adamw, mem } = inst.exports as {
      adamw: (n: number, ...s: number[]) => void;
      mem: { buffer: ArrayBuffer };
    };
    const P = new Float32Array(mem.buffer, P_AT, CHUNK);
    const Gs = new Float32Array(mem.buffer, G_AT, CHUNK);
    const Ms = new Float32Array(mem.buffer, M_AT, CHUNK);
    const Vs = new Float32Array(mem.buffer, V_AT, CHUNK);
    cached = (p, g, m, v, s) => {
      const args = [s.b1, s.b2, 1 - s.b1, 1 - s.b2, s.keep, s.stepSize, s.invSqrtBc2, s.eps, s.divideBy, s.scale];
      for (let o = 0; o < p.length; o += CHUNK) {
        const n = Math.min(CHUNK, p.length - o);
        const e = o + n;
        P.set(p.subarray(o, e));
        Gs.set(g.subarray(o, e));
        Ms.set(m.subarray(o, e));
        Vs.set(v.subarray(o, e));
        adamw((n + 3) & ~3, ...args);
        p.set(P.subarray(0, n), o);
        m.set(Ms.subarray(0, n), o);
        v.set(Vs.subarray(0, n), o);
      }
    };
  } catch {
    cached = null;
  }
  return cached;
}
