// Node: WebGPU through the npm `webgpu` package (Dawn). Loaded lazily with a computed specifier so
// browser bundles never try to resolve it. Without a GPU, Dawn finds SwiftShader's Vulkan ICD when
// VK_ICD_FILENAMES points at it (Debian's chromium ships one); we set it when unset and present.
import { BackendError } from '@albertjs/core';

const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib64/chromium/vk_swiftshader_icd.json'];

interface NodeProcess {
  env: Record<string, string | undefined>;
  versions?: { node?: string };
}

export function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p?.versions?.node === 'string';
}

/** Sets VK_ICD_FILENAMES to SwiftShader's ICD when it is unset and the file exists. */
export async function ensureVulkanIcd(): Promise<void> {
  const p = (globalThis as { process?: NodeProcess }).process;
  if (!p || p.env.VK_ICD_FILENAMES) return;
  const fsName = 'node:fs';
  const { existsSync } = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const icd = SWIFTSHADER_ICDS.find((f) => existsSync(f));
  if (icd) p.env.VK_ICD_FILENAMES = icd;
}

/** `navigator.gpu` equivalent in Node; `dawnToggles` are passed to Dawn (e.g. `enable-dawn-features=allow_unsafe_apis`). */
export async function nodeGpu(dawnOptions: string[] = []): Promise<GPU> {
  await ensureVulkanIcd();
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
  return mod.create(dawnOptions);
}
