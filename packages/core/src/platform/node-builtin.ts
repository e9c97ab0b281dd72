// Node's built-in modules without an `import` a bundler can see: `process.getBuiltinModule` (Node >= 20.16).
// Browser bundles of every albertjs package then hold no `node:` specifier (no Vite "externalized for browser
// compatibility" warnings, nothing to shim), and a Node-only path reached in a browser fails with this message.
import { BackendError } from '../errors.js';

interface NodeProcess {
  getBuiltinModule?(id: string): unknown;
}

/**
 * The Node built-in module `id` (`'node:fs/promises'` …), typed by the caller:
 * `nodeBuiltin<typeof import('node:path')>('node:path')`. A BackendError where there is no Node.js.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.getBuiltinModule !== 'function')
    throw new BackendError(
      `${id} is needed (a local file or folder), which only Node.js >= 20.16 has; in a browser pass a URL or a Hub id`,
    );
  const mod = proc.getBuiltinModule(id);
  if (mod === undefined) throw new BackendError(`Node.js has no built-in module ${id}`);
  return mod as T;
}
