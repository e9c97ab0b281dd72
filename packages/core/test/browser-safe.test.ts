// Every package a browser bundles (core, tokenizer, pipelines and the three backends) must hold no `node:`
// import at all — static or dynamic — so that bundlers see nothing to externalize (no Vite "Module node:fs has
// been externalized for browser compatibility" warnings): Node built-ins come from nodeBuiltin()
// (process.getBuiltinModule) at call time. The Vite build of the consumer tier checks the same on the packed output.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../src/errors.js';
import { nodeBuiltin } from '../src/platform/node-builtin.js';

const packages = new URL('../../', import.meta.url).pathname;
const BROWSER_PACKAGES = ['core', 'tokenizer', 'pipelines', 'onnx', 'tfjs', 'webgpu'];
const files = BROWSER_PACKAGES.flatMap((p) =>
  (readdirSync(join(packages, p, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.node.ts'))
    .map((f) => `${p}/src/${f}`),
);

describe('browser-safe sources', () => {
  it.each(files)('%s has no node: import (static or dynamic)', (f) => {
    const text = readFileSync(join(packages, f), 'utf8');
    expect(text).not.toMatch(/^\s*import[^(]*from\s+['"]node:/m);
    expect(text).not.toMatch(/^\s*import\s+['"]node:/m);
    expect(text).not.toMatch(/(?<!typeof )\bimport\(\s*['"]node:/);
    // core: not even a guarded top-level process use
    if (f.startsWith('core/')) expect(text).not.toMatch(/^(?:const|let|export const)[^\n]*\bprocess\./m);
  });
});

describe('nodeBuiltin', () => {
  it("returns Node's module", () => {
    expect(typeof nodeBuiltin<typeof import('node:path')>('node:path').join).toBe('function');
  });
  it('is a BackendError naming the module where there is no Node.js (a browser)', () => {
    const saved = globalThis.process;
    let err: unknown;
    try {
      (globalThis as { process?: unknown }).process = undefined;
      nodeBuiltin('node:fs/promises');
    } catch (e) {
      err = e;
    } finally {
      globalThis.process = saved;
    }
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain('node:fs/promises');
  });
});
