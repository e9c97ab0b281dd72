// Opens backends through core's `Backend` interface only (CONTRIBUTING.md "Backend entry points"):
// each backend package is imported dynamically, so one that is missing, unbuilt or unusable on this
// machine is skipped with its reason instead of failing the whole run.
import type { Backend } from '@albertjs/core';
import { InputError } from '@albertjs/core';
import { errorText } from './errors.js';

export const BACKEND_NAMES = ['tfjs', 'onnx', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(s: string): s is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(s);
}

/** Checks a user's backend list ('all' or names); throws naming the bad value. */
export function parseBackendList(list: readonly string[]): BackendName[] {
  if (list.length === 0 || (list.length === 1 && list[0] === 'all')) return [...BACKEND_NAMES];
  const out: BackendName[] = [];
  for (const raw of list) {
    for (const name of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!isBackendName(name))
        throw new InputError(
          `unknown backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.join(', ')} or all`,
        );
      if (!out.includes(name)) out.push(name);
    }
  }
  if (out.length === 0) throw new InputError(`no backend named in ${JSON.stringify(list)}`);
  return out;
}

export type OpenedBackend =
  | { name: BackendName; ok: true; backend: Backend; description: string }
  | { name: BackendName; ok: false; reason: string };

type BackendModule = { createBackend?: (options?: unknown) => Promise<Backend> };

/** How each backend package is imported; a test or embedder may replace an entry. */
export const backendImporters: Record<BackendName, () => Promise<unknown>> = {
  // Variable specifiers keep the backends out of this package's compile-time graph (they are optional).
  tfjs: () => importByName('@albertjs/tfjs'),
  onnx: () => importByName('@albertjs/onnx'),
  webgpu: () => importByName('@albertjs/webgpu'),
};

function importByName(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** Imports `@albertjs/<name>` and calls its `createBackend(options)`; never throws. */
export async function openBackend(name: BackendName, options?: unknown): Promise<OpenedBackend> {
  let mod: BackendModule;
  try {
    mod = (await backendImporters[name]()) as BackendModule;
  } catch (e) {
    return { name, ok: false, reason: `cannot import @albertjs/${name}: ${errorText(e)}` };
  }
  if (typeof mod.createBackend !== 'function') {
    return {
      name,
      ok: false,
      reason: `@albertjs/${name} exports no createBackend() (exports: ${Object.keys(mod).join(', ') || 'none'})`,
    };
  }
  let backend: Backend;
  try {
    backend = await mod.createBackend(options);
  } catch (e) {
    return { name, ok: false, reason: `@albertjs/${name} createBackend() failed: ${errorText(e)}` };
  }
  let description: string;
  try {
    description = await backend.describe();
  } catch (e) {
    description = `${backend.name} (describe() failed: ${errorText(e)})`;
  }
  return { name, ok: true, backend, description };
}
