// pipeline() with no `backend`: the first albertjs backend package that is installed and starts, as transformers.js
// picks a device when none is given. Order: onnx (fastest on CPU, Node and browsers), tfjs (runs everywhere: tfjs-node,
// wasm, cpu), webgpu (needs a GPU adapter). Each is an optional peer dependency of this package.
import { type Backend, BackendError, isNotInstalled } from '@albertjs/core';

export const DEFAULT_BACKEND_ORDER = ['onnx', 'tfjs', 'webgpu'] as const;

/** What to install for each backend (the runtime it needs in Node next to the albertjs package). */
const INSTALL: Record<(typeof DEFAULT_BACKEND_ORDER)[number], string> = {
  onnx: '@albertjs/onnx onnxruntime-node (browsers: onnxruntime-web)',
  tfjs: '@albertjs/tfjs',
  webgpu: '@albertjs/webgpu webgpu (browsers: nothing more)',
};

interface BackendModule {
  createBackend(options?: Record<string, unknown>): Promise<Backend>;
}

/**
 * Imports and starts the first backend of DEFAULT_BACKEND_ORDER that is installed and starts. When none does: a
 * BackendError naming, for each, why (not installed, or the reason it could not start) and what to install.
 */
export async function defaultBackend(who = 'pipeline()'): Promise<Backend> {
  const reasons: string[] = [];
  for (const name of DEFAULT_BACKEND_ORDER) {
    const spec = `@albertjs/${name}`;
    let mod: BackendModule;
    try {
      // through a variable: bundlers must not require every backend; resolved from this package (optional peers)
      mod = (await import(/* @vite-ignore */ spec)) as BackendModule;
    } catch (e) {
      reasons.push(
        isNotInstalled(e, spec) ? `${spec} is not installed` : `${spec} failed to load: ${(e as Error).message}`,
      );
      continue;
    }
    try {
      return await mod.createBackend();
    } catch (e) {
      reasons.push(`${spec} cannot start: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new BackendError(
    `${who}: no backend given and none could start (${reasons.join('; ')}). Install one — npm install ${DEFAULT_BACKEND_ORDER.map((n) => INSTALL[n]).join(', or ')} — or pass { backend: await createBackend() } from one of them`,
  );
}
