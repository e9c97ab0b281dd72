// Loading onnxruntime (onnxruntime-node in Node, onnxruntime-web in browsers) and creating sessions
// with the user's options. Sessions are created from bytes or a path; errors become BackendError.
// `#ort-import` is package.json's subpath import: import-web.ts under the `browser` condition (a literal
// import of onnxruntime-web that bundlers follow), import-node.ts elsewhere.
import { BackendError, InputError, nodeBuiltin } from '@albertjs/core';
import type * as Ort from 'onnxruntime-common';
import { importRuntime } from '#ort-import';
import type { Runtime } from './runtime-name.js';

/**
 * What albertjs uses of an onnxruntime module: the API both onnxruntime-node and onnxruntime-web re-export
 * from onnxruntime-common, so either module (or `onnxruntime-web/webgpu`) is accepted.
 */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;
export type OrtSession = Ort.InferenceSession;
export type OrtTensor = Ort.Tensor;

export type { Runtime };
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionConfig {
  /** 'node' (onnxruntime-node, default under Node) or 'web' (onnxruntime-web: wasm / webgpu EPs). */
  runtime?: Runtime;
  /** Execution providers in order of preference, e.g. ['cuda', 'cpu'] or ['webgpu', 'wasm']. Default: CPU / wasm. */
  executionProviders?: string[];
  /** Threads inside one operator (0 = onnxruntime's default: one per core). */
  intraOpNumThreads?: number;
  /** Threads across operators (parallel execution mode only). */
  interOpNumThreads?: number;
  /** onnxruntime graph optimizations (default 'all'). */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** Where onnxruntime-web keeps outputs ('gpu-buffer' keeps webgpu outputs on the device: IO binding). */
  preferredOutputLocation?: 'cpu' | 'gpu-buffer' | Record<string, 'cpu' | 'gpu-buffer'>;
  /**
   * onnxruntime's CPU memory arena (default on). The arena keeps its high-water mark for the session's
   * life; off, each run's activations go back to the system allocator, so a process's peak RSS while a
   * shape runs is that shape's own (what per-shape memory measurements need).
   */
  enableCpuMemArena?: boolean;
  /**
   * onnxruntime graph transformers to skip, by name (session config `optimization.disable_specified_optimizers`).
   * Default `['SkipLayerNormFusion']`: onnxruntime 1.30's CPU SkipLayerNormalization kernel is slower than
   * the Add + LayerNormalization it replaces (bench/profile.ts). `[]` runs every transformer.
   */
  disabledOptimizers?: readonly string[];
}

/** Graph transformers skipped unless SessionConfig.disabledOptimizers says otherwise. */
export const DEFAULT_DISABLED_OPTIMIZERS: readonly string[] = ['SkipLayerNormFusion'];

const loaded = new Map<Runtime, Promise<OrtModule>>();

export function defaultRuntime(): Runtime {
  return typeof process !== 'undefined' && process.versions?.node ? 'node' : 'web';
}

/**
 * onnxruntime-node 1.30 reads /proc/self/cmdline when its first session is created and matches it with a recursive
 * std::regex (a few stack frames per byte): a command line of ~28 KB overflows an 8 MB main-thread stack, ~14 KB a
 * worker's 4 MB one, and the process dies with SIGSEGV. Over these sizes the runtime is refused with a BackendError
 * instead (the `albert` CLI relaunches itself with a short command line before it gets here).
 */
export const MAX_ORT_NODE_CMDLINE_BYTES = { mainThread: 24 * 1024, worker: 10 * 1024 } as const;

async function checkCommandLine(): Promise<void> {
  if (typeof process === 'undefined' || process.platform !== 'linux') return;
  const { readFileSync } = nodeBuiltin<typeof import('node:fs')>('node:fs');
  const { isMainThread } = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  let bytes: number;
  try {
    bytes = readFileSync('/proc/self/cmdline').byteLength;
  } catch {
    return;
  }
  const limit = isMainThread ? MAX_ORT_NODE_CMDLINE_BYTES.mainThread : MAX_ORT_NODE_CMDLINE_BYTES.worker;
  if (bytes > limit) {
    throw new BackendError(
      `this process's command line is ${bytes} bytes; onnxruntime-node crashes (SIGSEGV) on command lines over ~${limit} bytes${isMainThread ? '' : ' in a worker thread'} (it parses /proc/self/cmdline recursively): pass long texts through stdin or a file, not as arguments`,
    );
  }
}

/** Imports the runtime once; a missing package is a BackendError naming what to install. */
export function loadOrt(runtime: Runtime = defaultRuntime()): Promise<OrtModule> {
  let p = loaded.get(runtime);
  if (!p) {
    const spec = runtime === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
    p = (runtime === 'node' ? checkCommandLine() : Promise.resolve())
      .then(() =>
        (importRuntime(runtime) as Promise<OrtModule & { default?: OrtModule }>).catch((e: unknown) => {
          throw new BackendError(`runtime ${runtime} needs the package ${spec}: ${(e as Error).message}`, { cause: e });
        }),
      )
      .then((m) => (m.InferenceSession ? m : (m.default as OrtModule)))
      .catch((e: unknown) => {
        loaded.delete(runtime);
        throw e;
      });
    loaded.set(runtime, p);
  }
  return p;
}

export function sessionOptions(c: SessionConfig): Ort.InferenceSession.SessionOptions {
  const o: Ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: c.graphOptimizationLevel ?? 'all',
  };
  if (c.executionProviders) o.executionProviders = c.executionProviders;
  if (c.intraOpNumThreads !== undefined) o.intraOpNumThreads = c.intraOpNumThreads;
  if (c.interOpNumThreads !== undefined) {
    o.interOpNumThreads = c.interOpNumThreads;
    o.executionMode = 'parallel';
  }
  if (c.preferredOutputLocation) o.preferredOutputLocation = c.preferredOutputLocation;
  if (c.enableCpuMemArena !== undefined) o.enableCpuMemArena = c.enableCpuMemArena;
  const disabled = c.disabledOptimizers ?? DEFAULT_DISABLED_OPTIMIZERS;
  for (const name of disabled) {
    if (!/^[A-Za-z0-9_]+$/.test(name))
      throw new InputError(
        `disabledOptimizers: ${JSON.stringify(name)} is not an onnxruntime graph transformer name (e.g. SkipLayerNormFusion)`,
      );
  }
  if (disabled.length) o.extra = { optimization: { disable_specified_optimizers: disabled.join(',') } };
  return o;
}

/** Creates a session; onnxruntime's own failure is wrapped with the model's description. */
export async function createSession(
  ort: OrtModule,
  model: Uint8Array | string,
  c: SessionConfig,
  what: string,
): Promise<OrtSession> {
  const options = sessionOptions(c);
  try {
    return typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options);
  } catch (e) {
    throw new BackendError(`onnxruntime could not load ${what}: ${firstLine(e)}`, { cause: e });
  }
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
