// Picks what runs the model: tfjs-node-gpu, then tfjs-node (optional peers, loaded with a guarded
// dynamic import), then the wasm backend, then the pure-JS cpu backend. The choice and the reasons
// the better ones were skipped are reported.
import { BackendError, isNotInstalled, nodeBuiltin } from '@albertjs/core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerCpuBatchMatMul } from './kernels/cpu-batch-matmul.js';
import { shareIdentityOnWasm } from './kernels/wasm-identity.js';
import { tf } from './tf.js';

/** `tensorflow-gpu` = @tensorflow/tfjs-node-gpu, `tensorflow` = @tensorflow/tfjs-node. */
export type RuntimeName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export const RUNTIME_ORDER: readonly RuntimeName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export interface RuntimeOptions {
  /** Force one runtime ('auto', the default, tries RUNTIME_ORDER). */
  runtime?: RuntimeName | 'auto';
  /** Folder (or URL prefix, ending in '/') holding tfjs-backend-wasm's .wasm files; Node default: the package's dist/. */
  wasmPaths?: string;
  /** Threads for the wasm backend where the platform allows them. */
  wasmThreads?: number;
}

export interface RuntimeInfo {
  runtime: RuntimeName;
  /** tfjs backend name as tf.getBackend() reports it. */
  tfBackend: string;
  /** Why each better runtime was skipped. */
  skipped: { runtime: RuntimeName; reason: string }[];
  detail: string;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** Imports an optional peer; "<spec> is not installed" when it is absent (not Node's message with its paths). */
async function importOptional(spec: string): Promise<void> {
  try {
    await import(/* @vite-ignore */ spec);
  } catch (e) {
    if (isNotInstalled(e, spec)) throw new Error(`${spec} is not installed`);
    throw e;
  }
}

async function nodeWasmDir(): Promise<string> {
  const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module');
  const { dirname, join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

let wasmConfigured = false;

/**
 * tfjs-backend-cpu prints a one-time "Hi, looks like you are running TensorFlow.js in Node.js … install
 * tfjs-node" banner through tfjs' warn(), on its first tensor write in Node. The runtime chosen (and why
 * tfjs-node was skipped) is already in describe(), so that first write is made here with tfjs' own
 * switch for its warnings, the PROD flag, set for that write only and restored at once.
 */
function primeCpuBackendQuietly(): void {
  if (!isNode) return;
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    const cpu = tf.findBackend('cpu');
    if (cpu) cpu.disposeData(cpu.write(new Float32Array(1), [1], 'float32'));
  } finally {
    env.set('PROD', prod);
  }
}

async function tryRuntime(name: RuntimeName, options: RuntimeOptions): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      if (!isNode) throw new Error('needs Node.js');
      await importOptional(name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialize');
      return name === 'tensorflow-gpu'
        ? '@tensorflow/tfjs-node-gpu (libtensorflow, CUDA)'
        : '@tensorflow/tfjs-node (libtensorflow)';
    }
    case 'wasm': {
      if (!wasmConfigured) {
        const paths = options.wasmPaths ?? (isNode ? await nodeWasmDir() : undefined);
        if (paths) setWasmPaths(paths);
        if (options.wasmThreads) setThreadsCount(options.wasmThreads);
        wasmConfigured = true;
      }
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialize');
      shareIdentityOnWasm();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return `@tensorflow/tfjs-backend-wasm (simd ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialize');
      registerCpuBatchMatMul();
      return '@tensorflow/tfjs-backend-cpu (pure JS, albertjs float32 GEMM)';
  }
}

/** Activates a runtime (the forced one, or the best available) and says which and why. */
export async function selectRuntime(options: RuntimeOptions = {}): Promise<RuntimeInfo> {
  const wanted = options.runtime ?? 'auto';
  if (wanted !== 'auto' && !RUNTIME_ORDER.includes(wanted)) {
    throw new BackendError(
      `unknown tfjs runtime ${JSON.stringify(wanted)}; expected 'auto' or one of ${RUNTIME_ORDER.join(', ')}`,
    );
  }
  const order = wanted === 'auto' ? RUNTIME_ORDER : [wanted];
  primeCpuBackendQuietly();
  const skipped: RuntimeInfo['skipped'] = [];
  for (const name of order) {
    try {
      const detail = await tryRuntime(name, options);
      return { runtime: name, tfBackend: tf.getBackend(), skipped, detail };
    } catch (e) {
      skipped.push({ runtime: name, reason: (e as Error).message.split('\n')[0] ?? String(e) });
    }
  }
  const why = skipped.map((s) => `${s.runtime}: ${s.reason}`).join('; ');
  throw new BackendError(`no TensorFlow.js runtime could start (${why})`);
}

/** Makes `name` the active tfjs backend (several models on different runtimes may coexist). */
export async function activate(tfBackend: string): Promise<void> {
  if (tf.getBackend() !== tfBackend && !(await tf.setBackend(tfBackend))) {
    throw new BackendError(`tfjs backend ${tfBackend} could not be re-activated`);
  }
}
