// AdamW's element update as a WebAssembly SIMD kernel (f32x4): the JavaScript loop spends most of its
// time in scalar float64 square roots and divisions (≈ 85 ms for albert-base's 11.7 M parameters on one
// core); four float32 lanes at a time make the pass memory-bound. The kernel's source is wasm/adamw.wat
// (the arithmetic, line by line, in float32 as torch's kernel computes it), assembled by wabt into
// wasm/adamw-wasm.ts (scripts/wasm-kernels.ts). Parameters are streamed through a small scratch area in
// the module's memory, in chunks that stay in cache: p, g, m, v copied in, p, m, v copied out.
import { ADAMW_WASM_BASE64 } from './wasm/adamw-wasm.js';

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

// the scratch chunks in the module's memory (the offsets wasm/adamw.wat loads and stores at)
const [P_AT, G_AT, M_AT, V_AT] = [0, BYTES, 2 * BYTES, 3 * BYTES];

/** The kernel's binary (wasm/adamw-wasm.ts holds it as base64). */
function moduleBytes(): Uint8Array {
  return Uint8Array.from(atob(ADAMW_WASM_BASE64), (c) => c.charCodeAt(0));
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
