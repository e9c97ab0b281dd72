// The backend picker of the live examples: WebGPU (hand-written WGSL), ONNX Runtime Web, TF.js (wasm).
import type { Backend } from '@albertjs/core';

export const BACKEND_CHOICES = [
  { id: 'webgpu', label: 'WebGPU (@albertjs/webgpu)' },
  { id: 'onnx', label: 'ONNX Runtime Web (@albertjs/onnx)' },
  { id: 'tfjs', label: 'TF.js wasm (@albertjs/tfjs)' },
] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number]['id'];

const cache = new Map<BackendChoice, Promise<Backend>>();

/** Where tfjs-backend-wasm's .wasm binaries are served from (copied next to the page by vite.config.ts). */
export const TFJS_WASM_PATH = `${import.meta.env.BASE_URL}tfjs-wasm/`;

async function create(choice: BackendChoice): Promise<Backend> {
  switch (choice) {
    case 'webgpu': {
      if (!('gpu' in navigator) || !navigator.gpu)
        throw new Error('this browser has no WebGPU (navigator.gpu is undefined)');
      const { createBackend } = await import('@albertjs/webgpu');
      return createBackend();
    }
    case 'onnx': {
      const { createBackend } = await import('@albertjs/onnx');
      return createBackend({ runtime: 'web' });
    }
    case 'tfjs': {
      const { createBackend } = await import('@albertjs/tfjs');
      return createBackend({ runtime: 'wasm', wasmPaths: TFJS_WASM_PATH });
    }
  }
}

/** One backend instance per choice for the page's lifetime. */
export function getBackend(choice: BackendChoice): Promise<Backend> {
  let p = cache.get(choice);
  if (!p) {
    p = create(choice);
    p.catch(() => cache.delete(choice));
    cache.set(choice, p);
  }
  return p;
}
