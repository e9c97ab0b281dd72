// Node: WebGPU through the npm `webgpu` package (Dawn). Loaded lazily with a computed specifier so
// browser bundles never try to resolve it. Without a GPU, Dawn finds SwiftShader's Vulkan ICD when
// VK_ICD_FILENAMES points at it (Debian's chromium ships one): when no Vulkan ICD variable is set and
// the system drivers give no adapter, we set it to SwiftShader's and create the instance again.
import { BackendError, nodeBuiltin } from '@albertjs/core';

const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib64/chromium/vk_swiftshader_icd.json'];

interface NodeProcess {
  env: Record<string, string | undefined>;
  versions?: { node?: string };
}

export function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p?.versions?.node === 'string';
}

function icdChosen(): boolean {
  const env = (globalThis as { process?: NodeProcess }).process?.env ?? {};
  return !!(env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES);
}

/** Sets VK_ICD_FILENAMES to SwiftShader's ICD when no ICD variable is set and the file exists; returns whether it did. */
export async function useSwiftShaderIcd(): Promise<boolean> {
  const p = (globalThis as { process?: NodeProcess }).process;
  if (!p || icdChosen()) return false;
  const { existsSync } = nodeBuiltin<typeof import('node:fs')>('node:fs');
  const icd = SWIFTSHADER_ICDS.find((f) => existsSync(f));
  if (icd) p.env.VK_ICD_FILENAMES = icd;
  return !!icd;
}

/**
 * Dawn's Vulkan loader on Linux prints "error: XDG_RUNTIME_DIR is invalid or not set in the environment." to
 * stderr when a process has no XDG_RUNTIME_DIR (containers, CI, ssh without a login session): noise that reads
 * like an albertjs error. When the variable is unset (never when the user set it), it is pointed at a private
 * folder (mode 0700, owned by this user, as the XDG Base Directory spec requires) for this process.
 */
export async function ensureXdgRuntimeDir(): Promise<string | undefined> {
  const p = (globalThis as { process?: NodeProcess & { platform?: string; getuid?: () => number } }).process;
  if (p?.platform !== 'linux' || p.env.XDG_RUNTIME_DIR) return undefined;
  const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
  const { tmpdir } = nodeBuiltin<typeof import('node:os')>('node:os');
  const { join } = nodeBuiltin<typeof import('node:path')>('node:path');
  const uid = p.getuid?.() ?? 0;
  let dir = join(tmpdir(), `albertjs-runtime-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch {}
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory() || st.uid !== uid || (st.mode & 0o777) !== 0o700)
    dir = fs.mkdtempSync(join(tmpdir(), 'albertjs-runtime-'));
  p.env.XDG_RUNTIME_DIR = dir;
  return dir;
}

/** `navigator.gpu` equivalent in Node; `dawnToggles` are passed to Dawn (e.g. `enable-dawn-features=allow_unsafe_apis`). */
export async function nodeGpu(dawnOptions: string[] = []): Promise<GPU> {
  const modName = 'webgpu';
  let mod: { create(options: string[]): GPU };
  try {
    mod = (await import(/* @vite-ignore */ modName)) as typeof mod;
  } catch (e) {
    throw new BackendError(
      `@albertjs/webgpu in Node needs the optional peer dependency "webgpu" (npm i webgpu): ${(e as Error).message}; or use @albertjs/onnx or @albertjs/tfjs`,
      { cause: e },
    );
  }
  await ensureXdgRuntimeDir();
  if (icdChosen()) return mod.create(dawnOptions);
  const system = mod.create(dawnOptions);
  if (await system.requestAdapter()) return system;
  return (await useSwiftShaderIcd()) ? mod.create(dawnOptions) : system;
}
