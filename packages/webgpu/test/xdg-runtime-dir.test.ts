// Dawn's Vulkan loader prints "error: XDG_RUNTIME_DIR is invalid or not set in the environment." when the
// variable is unset; @albertjs/webgpu points it at a private 0700 folder first (only when unset), so a Node
// process using the backend prints nothing that reads like an albertjs error.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');
const script = `
import { statSync } from 'node:fs';
import { createBackend } from ${JSON.stringify(resolve(here, '../src/index.ts'))};
const b = await createBackend();
await b.describe();
const dir = process.env.XDG_RUNTIME_DIR;
const st = dir ? statSync(dir) : undefined;
console.log(JSON.stringify({ dir, mode: st && (st.mode & 0o777), own: st && st.uid === process.getuid() }));
await b.dispose?.();
`;

function runBackend(env: Record<string, string | undefined>) {
  const base = { ...process.env };
  delete base.XDG_RUNTIME_DIR;
  const r = spawnSync(
    process.execPath,
    ['--conditions=@albertjs/source', '--import', tsx, '--input-type=module', '-e', script],
    {
      env: { ...base, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(process.platform !== 'linux')('XDG_RUNTIME_DIR in Node (Dawn)', () => {
  it('unset: no XDG_RUNTIME_DIR error on stderr, and the variable is a private 0700 folder of this user', () => {
    const r = runBackend({});
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('XDG_RUNTIME_DIR');
    const got = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(got.dir).toMatch(/albertjs-runtime-/);
    expect(got.mode).toBe(0o700);
    expect(got.own).toBe(true);
  });
  it('set by the user: kept as it is', () => {
    const r = runBackend({ XDG_RUNTIME_DIR: here });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.trim().split('\n').pop()!).dir).toBe(here);
  });
});
