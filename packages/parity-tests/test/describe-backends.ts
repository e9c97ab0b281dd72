// One test body run on every backend: `describeBackends(title, body)` declares one describe block per
// listed backend. A backend that cannot start FAILS its block (its beforeAll throws): nothing is skipped
// silently, so a broken backend cannot disappear from a green run. WebGPU runs on whatever adapter the
// `webgpu` package finds (SwiftShader in CI: scripts/test.sh sets VK_ICD_FILENAMES).
import type { Backend } from '@albertjs/core';
import { afterAll, beforeAll, describe } from 'vitest';

export interface BackendEntry {
  /** 'tfjs-cpu', 'tfjs-wasm', 'onnx', 'webgpu'. */
  name: string;
  create: () => Promise<Backend>;
}

/** Every backend and runtime the contract holds for. */
export const CONTRACT_BACKENDS: readonly BackendEntry[] = [
  { name: 'tfjs-cpu', create: async () => (await import('@albertjs/tfjs')).createBackend({ runtime: 'cpu' }) },
  { name: 'tfjs-wasm', create: async () => (await import('@albertjs/tfjs')).createBackend({ runtime: 'wasm' }) },
  { name: 'onnx', create: async () => (await import('@albertjs/onnx')).createBackend({ intraOpNumThreads: 1 }) },
  { name: 'webgpu', create: async () => (await import('@albertjs/webgpu')).createBackend() },
];

export interface BackendUnderTest {
  readonly name: string;
  /** The started backend (throws before beforeAll ran). */
  readonly backend: Backend;
}

/** Declares `body` once per backend in `entries` (default: CONTRACT_BACKENDS). */
export function describeBackends(
  title: string,
  body: (b: BackendUnderTest) => void,
  entries: readonly BackendEntry[] = CONTRACT_BACKENDS,
): void {
  for (const entry of entries) {
    describe(`${title} [${entry.name}]`, () => {
      let started: Backend | undefined;
      beforeAll(async () => {
        started = await entry.create(); // throws: every test of this backend fails with the reason
      }, 120_000);
      afterAll(async () => {
        await started?.dispose?.();
      });
      body({
        name: entry.name,
        get backend(): Backend {
          if (!started) throw new Error(`backend ${entry.name} did not start`);
          return started;
        },
      });
    });
  }
}
