// Loads backend packages on demand (`import('@albertjs/tfjs')` …) so that a missing or broken
// backend is reported as "not installed" / "unavailable: <why>" instead of crashing the CLI.
import { type Backend, BackendError, isNotInstalled } from '@albertjs/core';
import { CliError, EXIT } from './exit-codes.js';

export { isNotInstalled };

/** `import()` through a variable so that a missing package is a runtime condition, not a compile error. */
export async function importOptional<T>(specifier: string): Promise<T> {
  return (await import(/* @vite-ignore */ specifier)) as T;
}

export const BACKEND_NAMES = ['tfjs', 'onnx', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Task precisions: what `--dtype` accepts. */
export const TASK_DTYPES = ['float32', 'float16', 'int8'] as const;

/**
 * The precisions each backend's loadModel runs (onnx: float16 / int8 graphs; webgpu: f16 shaders; tfjs: float32),
 * so that `--dtype` is checked before anything is loaded and reads the same whichever backend would refuse it.
 */
export const BACKEND_DTYPES: Readonly<Record<BackendName, readonly string[]>> = {
  onnx: ['float32', 'float16', 'int8'],
  tfjs: ['float32'],
  webgpu: ['float32', 'float16'],
};

/** The backends whose models run `dtype`. */
export function backendsRunning(dtype: string): BackendName[] {
  return BACKEND_NAMES.filter((n) => BACKEND_DTYPES[n].includes(dtype));
}

/**
 * `--dtype` for a backend that cannot run it: a usage error (exit 2) on every command, before anything loads, in
 * the same words (`shown` is the value as the command spells it, e.g. bench's `f16`).
 */
export function checkBackendDType(name: BackendName, dtype: string, shown = dtype): void {
  if (BACKEND_DTYPES[name].includes(dtype)) return;
  throw new CliError(
    `--dtype ${shown}: backend ${name} runs ${BACKEND_DTYPES[name].join(', ')} only (${dtype} runs on ${backendsRunning(dtype).join(', ')})`,
    EXIT.USAGE,
  );
}

/** What every backend package's index.ts exports (CONTRIBUTING.md → Backend entry points). */
export interface BackendModule {
  createBackend(options?: Record<string, unknown>): Promise<Backend>;
}

export type BackendStatus =
  | { name: BackendName; ok: true; backend: Backend; description: string }
  | { name: BackendName; ok: false; reason: string };

/**
 * `importOptional` for a package a command cannot run without. A missing package is a CliError with exit code
 * MISSING_PACKAGE naming who needs it and how to get it (`howToGet`, default: the npm install line); one that is there but fails to load is
 * BACKEND_UNAVAILABLE with the reason.
 */
export async function importRequired<T>(
  specifier: string,
  who: string,
  howToGet = `install it next to @albertjs/cli: npm install ${specifier}`,
): Promise<T> {
  try {
    return await importOptional<T>(specifier);
  } catch (e) {
    if (isNotInstalled(e, specifier))
      throw new CliError(`${who} ${specifier}, which is not installed; ${howToGet}`, EXIT.MISSING_PACKAGE);
    throw new CliError(`${specifier} failed to load: ${(e as Error).message}`, EXIT.BACKEND_UNAVAILABLE);
  }
}

/** Parses `--backend tfjs|onnx|webgpu|all|none` (comma lists allowed; `none` runs no backend). */
export function parseBackendList(value: string | undefined, fallback: 'all' | BackendName = 'all'): BackendName[] {
  const v = (value ?? fallback).trim();
  if (v === 'all') return [...BACKEND_NAMES];
  if (v === 'none') return [];
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) {
      throw new CliError(
        `unknown backend ${JSON.stringify(n)}: expected one of ${BACKEND_NAMES.join(', ')}, all or none`,
        EXIT.USAGE,
      );
    }
  }
  if (names.length === 0) throw new CliError(`--backend ${JSON.stringify(value)} names no backend`, EXIT.USAGE);
  return names as BackendName[];
}

/** Imports and starts one backend; never throws. */
export async function openBackend(name: BackendName, options?: Record<string, unknown>): Promise<BackendStatus> {
  const spec = `@albertjs/${name}`;
  let mod: BackendModule;
  try {
    mod = await importOptional<BackendModule>(spec);
  } catch (e) {
    if (isNotInstalled(e, spec)) return { name, ok: false, reason: `not installed (${spec})` };
    return { name, ok: false, reason: `unavailable: cannot load ${spec}: ${(e as Error).message}` };
  }
  if (typeof mod.createBackend !== 'function') {
    return { name, ok: false, reason: `unavailable: ${spec} exports no createBackend()` };
  }
  try {
    const backend = await mod.createBackend(options);
    let description = backend.name;
    try {
      description = await backend.describe();
    } catch (e) {
      description = `${backend.name} (describe() failed: ${(e as Error).message})`;
    }
    return { name, ok: true, backend, description };
  } catch (e) {
    return { name, ok: false, reason: `unavailable: ${(e as Error).message}` };
  }
}

/** Opens several backends in order (one at a time: they compete for the same cores). */
export async function openBackends(names: readonly BackendName[]): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const n of names) out.push(await openBackend(n));
  return out;
}

/** Opens exactly one backend or throws a BackendError naming why it cannot run. */
export async function requireBackend(name: BackendName): Promise<Backend> {
  const s = await openBackend(name);
  if (!s.ok) throw new BackendError(`backend ${name} ${s.reason}`);
  return s.backend;
}

export async function closeBackends(list: readonly BackendStatus[]): Promise<void> {
  for (const s of list) if (s.ok) await s.backend.dispose?.();
}
